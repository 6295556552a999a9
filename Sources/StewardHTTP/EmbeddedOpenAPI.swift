import Foundation

extension OpenAPIDocument {
    /// The repository's `openapi.json`, compiled into the binary by SwiftPM
    /// (`resources: [.embedInCode("openapi.json")]`), so `GET /openapi.json` works from any
    /// working folder and for a copied binary alike. Throws only if that file is not an
    /// OpenAPI document, which `OpenAPIDocumentTests` rules out.
    public static var embedded: OpenAPIDocument {
        get throws { try OpenAPIDocument(data: Data(PackageResources.openapi_json)) }
    }
}
