import Hummingbird
import NIOCore
import StewardCore
import Synchronization

/// What Steward knows about one HTTP request while it travels through the middleware chain.
///
/// Hummingbird creates one context per request and hands a copy to every middleware and to
/// the route. Copies go inwards only: a middleware that sets a stored property changes what
/// the middleware and routes *inside* it see, never what the outer ones see. The values an
/// outer middleware must read back after the route ran (who signed in, for the request log)
/// therefore live in a small shared ``RequestState`` box, the same trick Hummingbird uses
/// for ``endpointPath``.
///
/// Routes read the caller from ``actor`` and pass it to the services; they decode bodies
/// with ``decodeJSON(_:as:)``.
public struct StewardRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    /// The request id: the client's `X-Request-Id` when it is well formed, else a new one.
    /// Set by ``RequestIDMiddleware``; every response and problem carries it.
    public internal(set) var requestID: String

    /// The client's IP address: the TCP peer, or, when the peer is a trusted proxy
    /// (`STEWARD_TRUSTED_PROXIES`), the client its `X-Forwarded-For` names. Set by
    /// ``RequestIDMiddleware`` before anything else reads it.
    public internal(set) var clientIP: String

    /// The request body once ``BodyLimitMiddleware`` has read, size-checked and
    /// syntax-checked it: empty when the request has none, `nil` only when that middleware
    /// is not installed. Routes use ``decodeJSON(_:as:)`` rather than this.
    public internal(set) var jsonBody: ByteBuffer?

    let state: RequestState

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.requestID = RequestID().description
        self.clientIP = ClientAddress.describe(source.channel.remoteAddress)
        self.jsonBody = nil
        self.state = RequestState()
    }

    /// The signed-in account, set by the authentication middleware; `nil` for an anonymous
    /// caller. Shared by every copy of this context, so the request log sees it too.
    public var principal: Principal? {
        get { state.principal }
        nonmutating set { state.principal = newValue }
    }

    /// True when the credentials came from the `access_token` cookie rather than an
    /// `Authorization: Bearer` header: such requests must pass the CSRF check to change state.
    public var authenticatedByCookie: Bool {
        get { state.authenticatedByCookie }
        nonmutating set { state.authenticatedByCookie = newValue }
    }

    /// The caller as the services see it: the verified principal (if any) and the client IP.
    public var caller: Caller { principal.map { Caller($0, client: clientIP) } ?? .anonymous(client: clientIP) }

    /// The route template that matched, like `/api/posts/{id}`, or `nil` when no route
    /// matched. Metrics are labelled with it rather than the raw path to keep their
    /// cardinality bounded.
    public var matchedRoute: String? {
        guard let path = endpointPath, path != "NotFound" else { return nil }
        return path
    }

    /// Request bodies over this size are refused with 413 (1 MiB).
    public var maxUploadSize: Int { BodyLimitMiddleware.defaultMaximumBytes }
}

/// The part of a request's context that outer middleware read back after the route ran.
///
/// A reference shared by all copies of one ``StewardRequestContext``; guarded by a mutex
/// because a request's middleware may hop between threads.
final class RequestState: Sendable {
    private struct Values {
        var principal: Principal?
        var authenticatedByCookie = false
    }

    private let values = Mutex(Values())

    var principal: Principal? {
        get { values.withLock { $0.principal } }
        set { values.withLock { $0.principal = newValue } }
    }

    var authenticatedByCookie: Bool {
        get { values.withLock { $0.authenticatedByCookie } }
        set { values.withLock { $0.authenticatedByCookie = newValue } }
    }
}

/// Turns a socket address into the short client string that logs and audit events use.
enum ClientAddress {
    /// `127.0.0.1`, `::1`, or `unknown`; an IPv4 address mapped into IPv6 (`::ffff:1.2.3.4`)
    /// is shown as plain IPv4 so one client has one name.
    static func describe(_ address: SocketAddress?) -> String {
        guard let ip = address?.ipAddress else { return "unknown" }
        let mapped = "::ffff:"
        if ip.lowercased().hasPrefix(mapped), ip.contains(".") {
            return String(ip.dropFirst(mapped.count))
        }
        return ip
    }
}
