/// Where Steward is running, from `STEWARD_ENV`.
///
/// Production is strict: it refuses to start without an explicit signing secret and turns on
/// the settings that only make sense behind TLS (secure cookies, HSTS). Development and test
/// favour a working start with nothing configured.
public enum DeploymentEnvironment: String, Sendable, CaseIterable {
    case development
    case test
    case production
}
