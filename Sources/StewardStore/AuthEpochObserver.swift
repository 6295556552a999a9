import StewardModel
import GRDB

/// Empties the ``TokenSubjectCache`` when a transaction that bumped `auth_epoch` commits on
/// the writer connection. GRDB calls it on the writer's queue only, one transaction at a
/// time, which is what makes its one flag safe without a lock.
final class AuthEpochObserver: TransactionObserver, @unchecked Sendable {
    private let cache: TokenSubjectCache
    private var changed = false

    init(cache: TokenSubjectCache) {
        self.cache = cache
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        eventKind.tableName == "auth_epoch"
    }

    func databaseDidChange(with event: DatabaseEvent) {
        changed = true
        stopObservingDatabaseChangesUntilNextTransaction()
    }

    func databaseDidCommit(_ db: Database) {
        guard changed else { return }
        changed = false
        cache.invalidateAll()
    }

    func databaseDidRollback(_ db: Database) {
        changed = false
    }
}
