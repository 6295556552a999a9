import Hummingbird
import StewardCore

/// `/api/comments/…`: deleting a comment (its author, or a moderator) and hiding one.
/// Comments are listed and written under their post (``APIRoutes/addPostRoutes(to:)``).
extension APIRoutes {
    func addCommentRoutes(to router: StewardRouter) {
        let comments = services.comments

        router.delete("/api/comments/:id") { _, context -> Response in
            let id = try APIRoutes.id(context, "The comment")
            try await comments.delete(context.caller, id: id)
            return .noContent
        }

        router.post("/api/comments/:id/hide") { _, context -> Response in
            let id = try APIRoutes.id(context, "The comment")
            return .json(try await comments.setHidden(context.caller, id: id, hidden: true))
        }
    }
}
