import Foundation

/// Sign-in throttling for one attempt: per submitted email (whether or not an account has
/// it, so throttling reveals nothing) and per client, ten times looser.
///
/// ```swift
/// let throttle = Throttle(context: context, email: email, client: actor.client)
/// let reservation = try await throttle.reserve(actor: actor, now: now)   // 429 when locked
/// if passwordMatches { try await throttle.succeeded() }
/// else { try await throttle.failed(reservation, userID: id, actor: actor) }
/// ```
///
/// The attempt is counted when it is *reserved*, before the password is verified: the
/// store hands out reservations one at a time, so however many guesses arrive together,
/// at most `STEWARD_LOGIN_MAX_FAILURES` of them reach argon2 for one email in a window.
struct Throttle {
    let context: ServiceContext
    let email: String
    let client: String

    var emailKey: String { "email:" + email }
    var clientKey: String { "ip:" + client }
    var clientMaximum: Int { context.loginMaxFailures * 10 }

    /// Counts the attempt, or throws `throttled` (429 with `Retry-After`) when the email or
    /// the client is locked.
    func reserve(actor: Caller, now: Date) async throws -> Store.AttemptReservation {
        let reservation = try await context.store.reserveLoginAttempt(
            [Store.AttemptLimit(key: emailKey, maximum: context.loginMaxFailures), Store.AttemptLimit(key: clientKey, maximum: clientMaximum)],
            windowSeconds: context.loginWindowSeconds, now: now)
        if case .locked(_, let until) = reservation {
            throw StewardError.throttled(retryAfter: Int(until.timeIntervalSince(now).rounded(.up)), "Too many failed sign-ins; try again later.")
        }
        return reservation
    }

    /// The password was right: the email's failures are forgotten, the client's reserved
    /// attempt given back.
    func succeeded() async throws {
        try await context.store.clearLoginFailures(keys: [emailKey])
        try await context.store.releaseLoginAttempt(key: clientKey, maximum: clientMaximum)
    }

    /// The attempt never reached the password check (the server was busy): both keys get
    /// it back, so load cannot lock anyone out.
    func released() async throws {
        try await context.store.releaseLoginAttempt(key: emailKey, maximum: context.loginMaxFailures)
        try await context.store.releaseLoginAttempt(key: clientKey, maximum: clientMaximum)
    }

    /// The attempt failed: it stays counted. Records `FAILED_LOGIN` (naming the submitted
    /// email only when it is an email address: a password typed into the email field must
    /// never reach the audit trail) and `ACCOUNT_LOCKED` for each key this attempt locked.
    func failed(_ reservation: Store.AttemptReservation, userID: Int64?, actor: Caller) async throws {
        guard case .reserved(let counts, let lockedUntil) = reservation else { return }
        if let userID {
            try await context.store.setLoginState(userID: userID, failedLogins: counts[emailKey] ?? 0, lockedUntil: lockedUntil[emailKey])
        }
        let shownEmail = Email.isValid(email) ? email : "(not an email address)"
        await context.audit.record(.failedLogin, subject: userID, actor: actor, details: ["email": shownEmail])
        if let until = lockedUntil[emailKey] {
            await context.audit.record(.accountLocked, subject: userID, actor: actor,
                                       details: ["email": shownEmail, "until": Timestamp.string(until), "scope": "email"])
        }
        if let until = lockedUntil[clientKey] {
            await context.audit.record(.accountLocked, subject: nil, actor: actor,
                                       details: ["until": Timestamp.string(until), "scope": "client"])
        }
    }

    /// Forgets every failure counted for `email` (an unlock, a password reset).
    static func clear(email: String, in context: ServiceContext) async throws {
        try await context.store.clearLoginFailures(keys: ["email:" + email])
    }
}
