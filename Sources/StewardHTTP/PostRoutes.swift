import Hummingbird
import StewardCore

/// `/api/posts/…`: the list with its filters, one post, writing, editing, deleting,
/// moderation, and a post's comments. Visibility (published for everyone, any status with
/// `posts:read:any`, authors their own) is the service's: a post the caller may not see
/// answers 404, exactly like one that does not exist.
extension APIRoutes {
    struct PostBody: LenientBody {
        @Lenient var title: String?
        @Lenient var content: String?
        @Lenient var status: String?
        @Lenient var tags: [String]?
    }

    struct CommentBody: LenientBody {
        @Lenient var content: String?
        @Lenient var parentId: Int64?
    }

    func addPostRoutes(to router: StewardRouter) {
        let posts = services.posts
        let comments = services.comments

        router.get("/api/posts") { request, context -> Response in
            let query = try PostService.ListRequest(parameters: QueryParameters.dictionary(request))
            return .json(try await posts.list(context.caller, query))
        }

        router.post("/api/posts") { request, context -> Response in
            let body = try await context.decodeJSON(request, as: PostBody.self)
            let post = try await posts.create(context.caller, title: body.title, content: body.content, status: body.status, tags: body.tags,
                                              inputErrors: body.inputErrors)
            return .json(post, status: .created)
        }

        router.get("/api/posts/:id") { _, context -> Response in
            let id = try APIRoutes.id(context, "The post")
            return .json(try await posts.get(context.caller, id: id))
        }

        router.patch("/api/posts/:id") { request, context -> Response in
            let id = try APIRoutes.id(context, "The post")
            let body = try await context.decodeJSON(request, as: PostBody.self)
            let post = try await posts.update(context.caller, id: id, title: body.title, content: body.content, tags: body.tags,
                                              status: body.status, inputErrors: body.inputErrors)
            return .json(post)
        }

        router.delete("/api/posts/:id") { _, context -> Response in
            let id = try APIRoutes.id(context, "The post")
            try await posts.delete(context.caller, id: id)
            return .noContent
        }

        router.post("/api/posts/:id/publish") { _, context -> Response in
            let id = try APIRoutes.id(context, "The post")
            return .json(try await posts.publish(context.caller, id: id))
        }

        router.post("/api/posts/:id/archive") { _, context -> Response in
            let id = try APIRoutes.id(context, "The post")
            return .json(try await posts.archive(context.caller, id: id))
        }

        router.get("/api/posts/:id/comments") { request, context -> Response in
            let id = try APIRoutes.id(context, "The post")
            let parameters = QueryParameters.dictionary(request)
            var validator = Validator()
            let limit = QueryParameters.limit(parameters, into: &validator)
            try validator.validate()
            return .json(try await comments.thread(context.caller, postID: id, limit: limit, cursor: parameters["cursor"]))
        }

        router.post("/api/posts/:id/comments") { request, context -> Response in
            let id = try APIRoutes.id(context, "The post")
            let body = try await context.decodeJSON(request, as: CommentBody.self)
            let comment = try await comments.create(context.caller, postID: id, content: body.content, parentID: body.parentId,
                                                    inputErrors: body.inputErrors)
            return .json(comment, status: .created)
        }
    }
}
