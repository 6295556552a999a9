import Foundation
import XCTest
@testable import StewardCore

/// Backups and exports: one implementation, with a permission, an audit record, private
/// files, no overwrite, nothing left behind on failure, and CSV a spreadsheet cannot run.
final class BackupExportTests: XCTestCase {
    private func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
    }

    private func files(in folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    func testBackupIsPrivateCheckedAuditedAndNeverOverwrites() async throws {
        let world = try TestWorld()
        let target = world.folder.appendingPathComponent("copy.sqlite").path
        let report = try await world.services.operations.backup(.commandLine, to: target)
        XCTAssertEqual(report.path, target)
        XCTAssertEqual(try mode(target), 0o600)
        XCTAssertGreaterThan(report.bytes, 0)
        await XCTAssertThrowsKind(.conflict) { _ = try await world.services.operations.backup(.commandLine, to: target) }
        _ = try await world.services.operations.backup(.commandLine, to: target, force: true)
        let events = try await world.events(.backup)
        XCTAssertEqual(events.count, 2)
        XCTAssertEqual(events.first?.details["path"], target)
        XCTAssertEqual(events.first?.client, "cli")
    }

    func testBackupIntoAFolderMakesATimestampedFile() async throws {
        try skipOnPostgres("names .sqlite files; PostgresStoreTests backs up to a .dump")
        let world = try TestWorld()
        let folder = world.folder.appendingPathComponent("backups/nested")
        let report = try await world.services.operations.backup(.commandLine, to: folder.path + "/")
        XCTAssertTrue(report.path.hasPrefix(folder.path + "/steward-"), report.path)
        XCTAssertTrue(report.path.hasSuffix(".sqlite"))
        XCTAssertEqual(try mode(folder.path), 0o700)
        XCTAssertEqual(files(in: folder).count, 1, "no temporary file is left")
    }

    func testBackupNeedsServerControlAndTheRefusalIsAudited() async throws {
        let world = try TestWorld()
        let moderator = try await world.actor("moderator")
        let target = world.folder.appendingPathComponent("nope.sqlite").path
        await XCTAssertThrowsKind(.forbidden) { _ = try await world.services.operations.backup(moderator, to: target) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: target))
        let denied = try await world.events(.permissionDenied)
        XCTAssertEqual(denied.first?.details["permission"], "server:control")
    }

    func testABackupThroughASymlinkIsRefusedOrReplacesTheLinkOnly() async throws {
        let world = try TestWorld()
        let victim = world.folder.appendingPathComponent("victim.txt")
        try Data("keep me".utf8).write(to: victim)
        let link = world.folder.appendingPathComponent("link.sqlite")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: victim)
        await XCTAssertThrowsKind(.conflict) { _ = try await world.services.operations.backup(.commandLine, to: link.path) }
        _ = try await world.services.operations.backup(.commandLine, to: link.path, force: true)
        XCTAssertEqual(try String(contentsOf: victim, encoding: .utf8), "keep me", "the link's target was not written")
        let attributes = try FileManager.default.attributesOfItem(atPath: link.path)
        XCTAssertEqual(attributes[.type] as? FileAttributeType, .typeRegular, "the link itself was replaced")
    }

    func testAFailedExportLeavesNothingBehind() async throws {
        let world = try TestWorld()
        let moderator = try await world.actor("moderator")
        let folder = world.folder.appendingPathComponent("exports")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // A moderator holds neither server:control nor logs:read.
        await XCTAssertThrowsKind(.forbidden) {
            _ = try await world.services.exports.export(moderator, .securityEvents, format: .csv, to: .file(folder.path + "/events.csv", force: false))
        }
        XCTAssertEqual(files(in: folder), [])
    }

    func testCSVIsGuardedAgainstFormulasAndUsesCRLF() async throws {
        let world = try TestWorld()
        let admin = try await world.actor("admin")
        _ = try await world.services.posts.create(admin, title: "=HYPERLINK(\"http://evil.example\",\"x\")", content: "<p>@SUM(A1:A2) and more text</p>",
                                                  status: "published", tags: ["ops", "-minus"])
        let path = world.folder.appendingPathComponent("posts.csv").path
        let report = try await world.services.exports.export(admin, .posts, format: .csv, to: .file(path, force: false))
        XCTAssertEqual(report.rows, 1)
        XCTAssertEqual(try mode(path), 0o600)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("id,authorId,title,status,tags,content,createdAt,updatedAt\r\n"), text)
        XCTAssertTrue(text.contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\","), text)
        XCTAssertFalse(text.contains(",=HYPERLINK"), text)
        XCTAssertFalse(text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "every line ends in CRLF")
        let exports = try await world.events(.export)
        XCTAssertEqual(exports.first?.details["what"], "posts")
        XCTAssertEqual(exports.first?.details["rows"], "1")
    }

    func testTheStreamAndTheFileHoldTheSameBytes() async throws {
        let world = try TestWorld()
        let admin = try await world.actor("admin")
        _ = try await world.services.posts.create(admin, title: "Line one\u{2028}two", content: "<p>Quote \" and comma, here</p>", status: "published")
        for format in ExportService.Format.allCases {
            let path = world.folder.appendingPathComponent("posts.\(format.rawValue)").path
            _ = try await world.services.exports.export(admin, .posts, format: format, to: .file(path, force: false))
            let collected = Collected()
            _ = try await world.services.exports.export(admin, .posts, format: format, to: .stream { collected.append($0) })
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), collected.data)
        }
    }

    func testExportIntoAFolderNeverOverwrites() async throws {
        let world = try TestWorld()
        let folder = world.folder.appendingPathComponent("out")
        let first = try await world.services.exports.export(.commandLine, .users, format: .jsonl, to: .file(folder.path + "/", force: false))
        XCTAssertTrue(first.path?.contains("/steward-users-") == true, first.path ?? "")
        await XCTAssertThrowsKind(.conflict) {
            _ = try await world.services.exports.export(.commandLine, .users, format: .jsonl, to: .file(first.path!, force: false))
        }
    }
}

/// Bytes a stream export hands over, in order.
final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes = Data()
    var data: Data { lock.withLock { bytes } }
    func append(_ chunk: Data) { lock.withLock { bytes.append(chunk) } }
}
