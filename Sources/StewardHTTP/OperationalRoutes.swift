import Hummingbird

extension RouterMethods {
    /// Adds `GET /metrics`: ``HTTPMetrics/render()`` as Prometheus text 0.0.4.
    @discardableResult
    public func addMetricsRoute(_ metrics: HTTPMetrics, path: RouterPath = "/metrics") -> Self {
        get(path) { _, _ in
            let text = ByteBuffer(string: metrics.render())
            return Response(
                status: .ok,
                headers: [.contentType: HTTPMetrics.contentType, .contentLength: String(text.readableBytes)],
                body: ResponseBody(byteBuffer: text)
            )
        }
    }

    /// Adds `GET /openapi.json`: the OpenAPI document, as kept in the repository.
    @discardableResult
    public func addOpenAPIRoute(_ document: OpenAPIDocument, path: RouterPath = "/openapi.json") -> Self {
        get(path) { _, _ in document.response() }
    }
}
