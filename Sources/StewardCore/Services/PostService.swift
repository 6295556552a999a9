import Foundation

/// What a page of posts depends on besides the database: the filters and what the caller may see.
struct PostPageKey: Hashable, Sendable {
    var query: Store.PostQuery
    var visibility: Store.PostVisibility
}

/// Posts: visibility, creation with the daily limit and unique titles, edits, moderation.
public struct PostService: Sendable {
    let context: ServiceContext

    public init(context: ServiceContext) {
        self.context = context
    }

    /// Filters of the posts list, as every door receives them.
    public typealias ListRequest = Store.PostQuery

    func visibility(for actor: Caller) -> Store.PostVisibility {
        if actor.can(.postsReadAny) { return .any }
        if let id = actor.principal?.userID { return .publishedOrOwn(authorID: id) }
        return .published
    }

    /// Published posts for everyone; every status with `posts:read:any`; authors also see their own.
    public func list(_ caller: Caller, _ request: ListRequest) async throws -> Page<Post> {
        let actor = try await context.resolve(caller)
        var validator = Validator()
        ListLimit.check(request.limit, into: &validator)
        try validator.validate()
        let visibility = visibility(for: actor)
        let store = context.store
        return try await context.postPages.value(for: PostPageKey(query: request, visibility: visibility),
                                                 version: store.committedVersion()) {
            var page = try await store.listPosts(request, visibility: visibility)
            page.rendering = Rendering()
            return page
        }
    }

    /// One post, if the actor may see it (404 otherwise, so hidden posts do not reveal they exist).
    public func get(_ caller: Caller, id: Int64) async throws -> Post {
        let actor = try await context.resolve(caller)
        guard let post = try await context.store.post(id: id), isVisible(post, to: actor) else {
            throw StewardError.notFound("The post")
        }
        return post
    }

    func isVisible(_ post: Post, to actor: Caller) -> Bool {
        post.status == .published || actor.can(.postsReadAny) || post.author.id == actor.principal?.userID
    }

    /// Validated, cleaned input of a post.
    private struct CleanInput {
        var title: String?
        var content: CleanedHTML?
        var tags: [String]?
    }

    private func clean(title: String?, content: String?, tags: [String]?, status: String?, allowedStatuses: [String], inputErrors: [FieldError],
                       requireAll: Bool) throws(StewardError) -> (CleanInput, PostStatus?) {
        var validator = Validator(inputErrors: inputErrors)
        validator.limitSubmitted("title", title, to: 200)
        validator.limitSubmitted("content", content, to: 10_000)
        for tag in tags ?? [] { validator.limitSubmitted("tags", tag, to: 30) }
        let cleanTitle = title.map(PlainText.clean)
        validator.check("title", cleanTitle, required: requireAll, .length(5...200))
        var cleaned: CleanedHTML?
        if let content {
            let trimmed = content.trimmingCharacters(in: .whitespacesAndNewlines)
            if let failure = Rule<String>.length(10...10_000).failure(for: trimmed) {
                validator.add("content", failure)
            } else {
                let result = HTMLSanitizer.clean(trimmed)
                if PlainText.length(result.visibleText) < 10 {
                    validator.add("content", "must keep at least 10 visible characters after cleaning")
                }
                cleaned = result
            }
        } else if requireAll {
            validator.add("content", "is required")
        }
        let cleanTags = tags.map(Tags.normalize)
        // Every submitted tag is checked, the empty one too: nothing is dropped silently.
        if let tags { validator.check("tags", tags.map(PlainText.clean), .tags) }
        validator.check("status", status, required: false, .oneOf(allowedStatuses))
        try validator.validate()
        return (CleanInput(title: cleanTitle, content: cleaned, tags: cleanTags), status.flatMap(PostStatus.init(rawValue:)))
    }

    /// Creates a post (`posts:create`). Checks run in the documented order: input (400), the daily
    /// limit (429), the unique title (409).
    public func create(_ caller: Caller, title: String?, content: String?, status: String? = nil, tags: [String]? = nil,
                       inputErrors: [FieldError] = []) async throws -> Post {
        let actor = try await context.resolve(caller)
        let principal = try await context.require(.postsCreate, actor)
        let (input, parsedStatus) = try clean(title: title, content: content, tags: tags, status: status,
                                              allowedStatuses: ["draft", "published"], inputErrors: inputErrors, requireAll: true)
        guard let title = input.title, let content = input.content else { throw StewardError.badInput(field: "title", "is required") }
        return try await context.store.createPost(
            Store.NewPost(authorID: principal.userID, title: title, titleKey: PlainText.foldedKey(title), content: content.html,
                          visibleText: content.visibleText, status: parsedStatus ?? .draft, tags: input.tags ?? []),
            dailyLimit: context.dailyPostLimit, now: context.now())
    }

    /// Edits a post: its author with `posts:update:own` (status draft or published), or
    /// anyone with `posts:update` (any status; recorded as moderation).
    public func update(_ caller: Caller, id: Int64, title: String? = nil, content: String? = nil, tags: [String]? = nil, status: String? = nil,
                       inputErrors: [FieldError] = []) async throws -> Post {
        let actor = try await context.resolve(caller)
        guard let principal = actor.principal else { throw StewardError.unauthenticated }
        let post = try await get(actor, id: id)
        let isAuthor = post.author.id == principal.userID
        try await context.requireOwnOrAny(actor, isAuthor: isAuthor, own: .postsUpdateOwn, any: .postsUpdate, target: id)
        let moderates = actor.can(.postsUpdate)
        let allowed = moderates ? PostStatus.allCases.map(\.rawValue) : ["draft", "published"]
        let (input, parsedStatus) = try clean(title: title, content: content, tags: tags, status: status, allowedStatuses: allowed, inputErrors: inputErrors, requireAll: false)
        guard let updated = try await context.store.updatePost(id: id, Store.PostChanges(
            title: input.title, titleKey: input.title.map(PlainText.foldedKey), content: input.content?.html,
            visibleText: input.content?.visibleText, status: parsedStatus, tags: input.tags), now: context.now()) else {
            throw StewardError.notFound("The post")
        }
        if !isAuthor {
            await context.audit.record(.contentModerated, subject: post.author.id, actor: actor,
                                       details: ["post": String(id), "action": "edited", "status": updated.status.rawValue])
        }
        return updated
    }

    /// Deletes a post: its author with `posts:delete:own`, or anyone with `posts:delete`.
    public func delete(_ caller: Caller, id: Int64) async throws {
        let actor = try await context.resolve(caller)
        guard let principal = actor.principal else { throw StewardError.unauthenticated }
        let post = try await get(actor, id: id)
        let isAuthor = post.author.id == principal.userID
        try await context.requireOwnOrAny(actor, isAuthor: isAuthor, own: .postsDeleteOwn, any: .postsDelete, target: id)
        guard try await context.store.deletePost(id: id) else { throw StewardError.notFound("The post") }
        if !isAuthor {
            await context.audit.record(.contentModerated, subject: post.author.id, actor: actor,
                                       details: ["post": String(id), "action": "deleted", "title": post.title])
        }
    }

    /// Publishes a post (`posts:publish`).
    public func publish(_ caller: Caller, id: Int64) async throws -> Post {
        let actor = try await context.resolve(caller)
        return try await moderate(actor, id: id, permission: .postsPublish, to: .published, action: "published")
    }

    /// Archives a post (`posts:archive`).
    public func archive(_ caller: Caller, id: Int64) async throws -> Post {
        let actor = try await context.resolve(caller)
        return try await moderate(actor, id: id, permission: .postsArchive, to: .archived, action: "archived")
    }

    /// Takes a post back to draft (`posts:publish`: the undo of publishing).
    public func unpublish(_ caller: Caller, id: Int64) async throws -> Post {
        let actor = try await context.resolve(caller)
        return try await moderate(actor, id: id, permission: .postsPublish, to: .draft, action: "returned to draft")
    }

    private func moderate(_ actor: Caller, id: Int64, permission: Permission, to status: PostStatus, action: String) async throws -> Post {
        try await context.require(permission, actor, target: id)
        let post = try await get(actor, id: id)
        // Moderation that changes nothing is not moderation: neither reported as done nor
        // audited (the audit trail would otherwise claim an action nobody took).
        guard post.status != status else {
            throw StewardError.conflict("Post \(id) is already \(status == .draft ? "a draft" : status.rawValue).")
        }
        guard let updated = try await context.store.updatePost(id: id, Store.PostChanges(status: status), now: context.now()) else {
            throw StewardError.notFound("The post")
        }
        await context.audit.record(.contentModerated, subject: post.author.id, actor: actor,
                                   details: ["post": String(id), "action": action, "from": post.status.rawValue])
        return updated
    }
}
