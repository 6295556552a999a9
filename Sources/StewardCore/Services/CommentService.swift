import Foundation

/// Comments: threads, writing, deletion and moderation.
public struct CommentService: Sendable {
    let context: ServiceContext
    let posts: PostService

    public init(context: ServiceContext, posts: PostService) {
        self.context = context
        self.posts = posts
    }

    /// A post's comments in thread order. Hidden ones are included only for actors with
    /// `comments:hide` who ask for them.
    public func thread(_ caller: Caller, postID: Int64, includeHidden: Bool = false, limit: Int = 20, cursor: String? = nil) async throws -> Page<Comment> {
        let actor = try await context.resolve(caller)
        var validator = Validator()
        ListLimit.check(limit, into: &validator)
        try validator.validate()
        _ = try await posts.get(actor, id: postID)
        return try await context.store.listComments(Store.CommentQuery(
            postID: postID, includeHidden: includeHidden && actor.can(.commentsHide), limit: limit, cursor: cursor))
    }

    /// Every comment, newest first, for moderation (`comments:hide`); optional status and full-text filter.
    public func moderationQueue(_ caller: Caller, status: CommentStatus? = nil, text: String? = nil, limit: Int = 50, cursor: String? = nil,
                                oldestFirst: Bool = false) async throws -> Page<Comment> {
        let actor = try await context.resolve(caller)
        try await context.require(.commentsHide, actor)
        var validator = Validator()
        ListLimit.check(limit, into: &validator)
        try validator.validate()
        let cleaned = text.map(PlainText.clean)
        return try await context.store.listComments(Store.CommentQuery(
            postID: nil, includeHidden: true, status: status, text: cleaned?.isEmpty == false ? cleaned : nil, limit: limit, cursor: cursor,
            reversed: oldestFirst))
    }

    public func get(_ caller: Caller, id: Int64) async throws -> Comment {
        let actor = try await context.resolve(caller)
        guard let comment = try await context.store.comment(id: id) else { throw StewardError.notFound("The comment") }
        _ = try await posts.get(actor, id: comment.postID)
        if comment.status == .hidden && !actor.can(.commentsHide) && comment.author.id != actor.principal?.userID {
            throw StewardError.notFound("The comment")
        }
        return comment
    }

    /// Writes a comment (`comments:create`) on a post the actor can see.
    public func create(_ caller: Caller, postID: Int64, content: String?, parentID: Int64? = nil, inputErrors: [FieldError] = []) async throws -> Comment {
        let actor = try await context.resolve(caller)
        let principal = try await context.require(.commentsCreate, actor)
        _ = try await posts.get(actor, id: postID)
        var validator = Validator(inputErrors: inputErrors)
        var cleaned: CleanedHTML?
        let trimmed = content?.trimmingCharacters(in: .whitespacesAndNewlines)
        validator.check("content", trimmed, required: true, .length(1...2000))
        if let trimmed, validator.isValid {
            let result = HTMLSanitizer.clean(trimmed)
            if PlainText.length(result.visibleText) < 1 {
                validator.add("content", "must keep at least 1 visible character after cleaning")
            }
            cleaned = result
        }
        try validator.validate()
        guard let cleaned else { throw StewardError.badInput(field: "content", "is required") }
        if let parentID {
            // A reply's parent is looked up on this post: elsewhere it does not exist (404).
            guard let parent = try await context.store.comment(id: parentID), parent.postID == postID else {
                throw StewardError.notFound("The parent comment (on this post)")
            }
        }
        return try await context.store.insertComment(
            Store.NewComment(postID: postID, authorID: principal.userID, parentID: parentID, content: cleaned.html, visibleText: cleaned.visibleText),
            now: context.now())
    }

    /// Deletes a comment and its replies: its author with `comments:delete:own`, or anyone with `comments:delete`.
    public func delete(_ caller: Caller, id: Int64) async throws {
        let actor = try await context.resolve(caller)
        guard let principal = actor.principal else { throw StewardError.unauthenticated }
        let comment = try await get(actor, id: id)
        let isAuthor = comment.author.id == principal.userID
        try await context.requireOwnOrAny(actor, isAuthor: isAuthor, own: .commentsDeleteOwn, any: .commentsDelete, target: id)
        guard try await context.store.deleteComment(id: id) else { throw StewardError.notFound("The comment") }
        if !isAuthor {
            await context.audit.record(.contentModerated, subject: comment.author.id, actor: actor,
                                       details: ["comment": String(id), "post": String(comment.postID), "action": "deleted"])
        }
    }

    /// Hides a comment, or shows it again (`comments:hide`).
    public func setHidden(_ caller: Caller, id: Int64, hidden: Bool = true) async throws -> Comment {
        let actor = try await context.resolve(caller)
        try await context.require(.commentsHide, actor, target: id)
        let comment = try await get(actor, id: id)
        _ = try await context.store.setCommentStatus(id: id, status: hidden ? .hidden : .visible, now: context.now())
        await context.audit.record(.contentModerated, subject: comment.author.id, actor: actor,
                                   details: ["comment": String(id), "post": String(comment.postID), "action": hidden ? "hidden" : "shown"])
        return try await get(actor, id: id)
    }
}
