import HTTPTypes

/// Header names Steward uses that `HTTPTypes` does not predefine.
extension HTTPField.Name {
    /// `X-Request-Id`: the request id, accepted from the client and echoed on every response.
    public static let xRequestID = Self("X-Request-Id")!
    /// `X-CSRF-Token`: the copy of the `csrf_token` cookie a cookie-authenticated request
    /// sends to prove it comes from Steward's own pages.
    public static let xCSRFToken = Self("X-CSRF-Token")!
    /// `X-Frame-Options`: forbids framing (clickjacking).
    public static let xFrameOptions = Self("X-Frame-Options")!
    /// `Referrer-Policy`: what a browser may send as `Referer` when leaving a page.
    public static let referrerPolicy = Self("Referrer-Policy")!
    /// `Cross-Origin-Opener-Policy`: isolates the browsing context from cross-origin windows.
    public static let crossOriginOpenerPolicy = Self("Cross-Origin-Opener-Policy")!
    /// `X-Forwarded-For`: the addresses a request came through, read only from trusted proxies.
    public static let xForwardedFor = Self("X-Forwarded-For")!
    /// `X-Powered-By`: names server software; Steward removes it.
    public static let xPoweredBy = Self("X-Powered-By")!
}
