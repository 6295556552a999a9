import Foundation

extension OpenAPIDocument {
    /// The repository's `openapi.json`, as compiled into the binary (see
    /// `EmbeddedOpenAPIText.swift`); throws only if that text is not an OpenAPI document,
    /// which `OpenAPIDocumentTests` rules out.
    public static var embedded: OpenAPIDocument {
        get throws { try OpenAPIDocument(data: Data(embeddedText.utf8)) }
    }
}
