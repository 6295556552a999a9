import ArgumentParser
import Foundation
import StewardCore

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the live database consistently (SQLite online backup), safe while the server writes.",
        discussion: """
            --out names a file, or a folder to write steward-YYYYMMDD-HHMMSS.sqlite into. \
            --keep N then keeps the newest N steward-*.sqlite files of that folder and deletes the rest.
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(name: .long, help: "The backup file, or a folder for a time-stamped file.") var out: String
    @Option(name: .long, help: "Keep only the newest N steward-*.sqlite backups in the output folder.") var keep: Int?

    func validate() throws {
        if let keep, keep < 1 { throw ValidationError("--keep must be at least 1") }
    }

    func run() throws {
        let config = try database.config()
        guard FileManager.default.fileExists(atPath: config.databasePath) else {
            throw CLIError("no database at \(config.databasePath)")
        }
        var isFolder: ObjCBool = false
        let target: String
        if out.hasSuffix("/") || (FileManager.default.fileExists(atPath: out, isDirectory: &isFolder) && isFolder.boolValue) {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            target = (out as NSString).appendingPathComponent("steward-\(Self.stamp()).sqlite")
        } else {
            target = out
        }
        if FileManager.default.fileExists(atPath: target) {
            throw CLIError("\(target) already exists; a backup never overwrites a file")
        }
        let folder = (target as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        do {
            let store = try Store(path: config.databasePath, migrate: false)
            try store.backup(to: target)
            let check = try Store(path: target, migrate: false).integrityCheck()
            guard check == "ok" else { throw CLIError("the backup \(target) failed its integrity check: \(check)") }
        } catch let error as StewardError {
            throw CLIError(error.description)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: target)[.size] as? Int) ?? 0
        print("backed up \(config.databasePath) to \(target) (\(size / 1024) KiB, integrity ok)")
        if let keep { try prune(folder: folder.isEmpty ? "." : folder, keep: keep) }
    }

    private func prune(folder: String, keep: Int) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.hasPrefix("steward-") && $0.hasSuffix(".sqlite") }
            .sorted(by: >)
        for name in names.dropFirst(keep) {
            let path = (folder as NSString).appendingPathComponent(name)
            try FileManager.default.removeItem(atPath: path)
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            print("pruned \(path)")
        }
    }

    static func stamp() -> String {
        let text = Timestamp.string(Date())  // 2026-11-25T12:00:00.000Z
        let digits = text.prefix(19).filter(\.isNumber)
        return String(digits.prefix(8)) + "-" + String(digits.dropFirst(8))
    }
}
