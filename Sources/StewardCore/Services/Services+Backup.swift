import Foundation

extension Services {
    /// A consistent copy of the live database at `path` through SQLite's online backup,
    /// safe while the HTTP listener writes. From the console this needs `server:control`
    /// (a copy holds every account's password hash); refusals are audited.
    public func backup(_ actor: Actor, to path: String) async throws {
        try await context.require("server:control", actor)
        let trimmed = path.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw StewardError.badInput(field: "path", "is required") }
        guard !FileManager.default.fileExists(atPath: trimmed) else {
            throw StewardError.conflict("\(trimmed) already exists; choose another file.")
        }
        let store = self.store
        try await Offload.run {
            do { try store.backup(to: trimmed) } catch { throw StewardError(.badInput, "cannot write the backup to \(trimmed): \(error)") }
        }
    }
}
