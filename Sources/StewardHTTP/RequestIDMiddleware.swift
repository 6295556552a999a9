import Hummingbird
import StewardCore
import Logging

/// The outermost middleware: gives every request an id and writes its one request-log line.
///
/// The id is the client's `X-Request-Id` when it has 1 to 128 characters from
/// `A–Z a–z 0–9 . _ -`, otherwise a new one. It is stored in the context (so problems can
/// quote it), added to the context's logger metadata (so every line a route logs carries it)
/// and set on the response, errors included.
///
/// After the response is ready it logs one line through `logger`, at `info`, or `error` for
/// a 5xx, with the metadata `requestId`, `method`, `path` (never the query string, which may
/// hold search terms or cursors), `status`, `durationMs`, `ip`, `userId` (only when signed
/// in) and `userAgent` (only when sent). Headers, cookies and bodies are never logged.
public struct RequestIDMiddleware: RouterMiddleware {
    public typealias Context = StewardRequestContext

    /// The longest client id accepted.
    public static let maximumLength = 128

    let logger: Logger
    let problems: ProblemRenderer
    let trustedProxies: [AddressRange]
    /// The pipeline behind `logger` when it is Steward's own handler: the request line is
    /// then built as a `LogEntry` and emitted directly, skipping swift-log's metadata
    /// dictionaries (merged, then flattened to strings) that every line paid for before.
    private let pipeline: (pipeline: LogPipeline, source: String, handlerMetadata: [String: String])?

    /// - Parameters:
    ///   - logger: where the request-log lines go.
    ///   - trustedProxies: peers whose `X-Forwarded-For` names the real client.
    public init(logger: Logger, trustedProxies: [AddressRange] = []) {
        self.logger = logger
        self.problems = ProblemRenderer(logger: logger)
        self.trustedProxies = trustedProxies
        if let handler = logger.handler as? StewardLogHandler, handler.metadataProvider == nil {
            pipeline = (handler.pipeline, handler.label, LogEntry.flatten(handler.metadata))
        } else {
            pipeline = nil
        }
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        var context = context
        let id = Self.accepted(request.headers[.xRequestID]) ?? RequestID().description
        context.requestID = id
        context.logger[metadataKey: "requestId"] = .string(id)
        if !trustedProxies.isEmpty {
            context.clientIP = trustedProxies.clientAddress(peer: context.clientIP, forwardedFor: request.headers[.xForwardedFor])
        }

        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            // ProblemMiddleware normally answers every error further in; this keeps the
            // id and the log line even if a middleware outside it throws.
            response = problems.response(for: error, requestID: id)
        }
        response.headers[.xRequestID] = id
        log(request, response.status.code, context: context, duration: started.duration(to: .now))
        return response
    }

    /// The client's id when it is acceptable, else `nil`.
    public static func accepted(_ value: String?) -> String? {
        guard let value, (1...maximumLength).contains(value.utf8.count) else { return nil }
        let allowed = value.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                true
            default:
                false
            }
        }
        return allowed ? value : nil
    }

    private func log(_ request: Request, _ status: Int, context: Context, duration: Duration) {
        let level: Logger.Level = status >= 500 ? .error : .info
        guard logger.logLevel <= level else { return }
        let milliseconds = Double(duration.components.seconds) * 1000
            + Double(duration.components.attoseconds) / 1e15
        let path = String(request.uri.path.prefix(1024))
        if let (pipeline, source, handlerMetadata) = pipeline {
            var metadata = handlerMetadata
            metadata.reserveCapacity(handlerMetadata.count + 8)
            metadata["requestId"] = context.requestID
            metadata["method"] = request.method.rawValue
            metadata["path"] = path
            metadata["status"] = String(status)
            metadata["durationMs"] = String((milliseconds * 100).rounded() / 100)
            metadata["ip"] = context.clientIP
            if let userID = context.principal?.userID { metadata["userId"] = String(userID) }
            if let userAgent = request.headers[.userAgent] { metadata["userAgent"] = String(userAgent.prefix(256)) }
            pipeline.emit(LogEntry(level: level, source: source, message: "\(request.method.rawValue) \(path) \(status)", metadata: metadata))
            return
        }
        var metadata: Logger.Metadata = [
            "requestId": .string(context.requestID),
            "method": .string(request.method.rawValue),
            "path": .string(path),
            "status": .stringConvertible(status),
            "durationMs": .stringConvertible((milliseconds * 100).rounded() / 100),
            "ip": .string(context.clientIP),
        ]
        if let userID = context.principal?.userID {
            metadata["userId"] = .stringConvertible(userID)
        }
        if let userAgent = request.headers[.userAgent] {
            metadata["userAgent"] = .string(String(userAgent.prefix(256)))
        }
        logger.log(
            level: level,
            "\(request.method.rawValue) \(path) \(status)",
            metadata: metadata
        )
    }
}
