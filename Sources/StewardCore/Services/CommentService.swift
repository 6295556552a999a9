import Foundation

/// Comments: threads, writing, deletion and moderation.
public struct CommentService: Sendable {
    let context: ServiceContext
    let posts: PostService

    public init(context: ServiceContext, posts: PostService) {
        self.context = context
        self.posts = posts
    }

    /// Filters of a comments list, as every door receives them: one post's thread
    /// (`postID` set) or, for moderators, every comment.
    public typealias ListRequest = Store.CommentQuery

    /// A post's comments in thread order when `request.postID` is set: anyone who can see
    /// the post; hidden ones only for actors with `comments:hide` who ask for them. Without
    /// a post, every comment newest first (with `status` and full-text filters): the
    /// moderation queue, for `comments:hide`.
    public func list(_ caller: Caller, _ request: ListRequest) async throws -> Page<Comment> {
        let actor = try await context.resolve(caller)
        var query = request
        if let postID = request.postID {
            var validator = Validator()
            ListLimit.check(request.limit, into: &validator)
            try validator.validate()
            _ = try await posts.get(actor, id: postID)
            query.includeHidden = request.includeHidden && actor.can(.commentsHide)
        } else {
            try await context.require(.commentsHide, actor)
            var validator = Validator()
            ListLimit.check(request.limit, into: &validator)
            try validator.validate()
            let cleaned = request.text.map(PlainText.clean)
            query.includeHidden = true
            query.text = cleaned?.isEmpty == false ? cleaned : nil
        }
        return try await context.store.listComments(query)
    }

    /// One post's thread (see ``list(_:_:)``).
    public func thread(_ caller: Caller, postID: Int64, includeHidden: Bool = false, limit: Int = 20, cursor: String? = nil) async throws -> Page<Comment> {
        try await list(caller, ListRequest(postID: postID, includeHidden: includeHidden, limit: limit, cursor: cursor))
    }

    /// The moderation queue (see ``list(_:_:)``), or one author's comments in it.
    public func moderationQueue(_ caller: Caller, status: CommentStatus? = nil, text: String? = nil, authorID: Int64? = nil, limit: Int = 50,
                                cursor: String? = nil, oldestFirst: Bool = false) async throws -> Page<Comment> {
        try await list(caller, ListRequest(postID: nil, includeHidden: true, status: status, text: text, authorID: authorID, limit: limit,
                                           cursor: cursor, reversed: oldestFirst))
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
        validator.limitSubmitted("content", content, to: 2000)
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
        guard comment.status != (hidden ? .hidden : .visible) else {
            throw StewardError.conflict("Comment \(id) is already \(hidden ? "hidden" : "visible").")
        }
        _ = try await context.store.setCommentStatus(id: id, status: hidden ? .hidden : .visible, now: context.now())
        await context.audit.record(.contentModerated, subject: comment.author.id, actor: actor,
                                   details: ["comment": String(id), "post": String(comment.postID), "action": hidden ? "hidden" : "shown"])
        return try await get(actor, id: id)
    }
}
