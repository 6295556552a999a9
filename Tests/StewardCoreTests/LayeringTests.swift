import Foundation
import XCTest

/// The doors reach data only through the services: the target graph keeps `StewardStore`
/// (and GRDB) out of their dependencies, and this test reads every door's imports so that
/// an implicit import of a module they do not depend on cannot slip in either.
final class LayeringTests: XCTestCase {
    static let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    /// Every `import` line of a target's Swift files, as `file: line`.
    func imports(of target: String) throws -> [(file: String, module: String, line: String)] {
        let folder = Self.sources.appendingPathComponent(target)
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var found: [(String, String, String)] = []
        for case let path as String in walker where path.hasSuffix(".swift") {
            let text = try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let words = line.split(separator: " ").map(String.init)
                guard let index = words.firstIndex(of: "import"), index + 1 < words.count,
                      words[..<index].allSatisfy({ ["@testable", "@_exported", "internal", "public", "package", "private", "fileprivate"].contains($0) })
                else { continue }
                found.append((path, words[index + 1], String(line)))
            }
        }
        return found
    }

    static let storeModules: Set<String> = ["StewardStore", "StewardPostgres", "GRDB", "GRDBSQLite", "SQLite3", "CSQLite", "PostgresNIO"]

    func testNoDoorImportsTheStoreOrGRDB() throws {
        for door in ["StewardHTTP", "StewardConsole", "steward"] {
            let all = try imports(of: door)
            XCTAssertFalse(all.isEmpty, "read the imports of \(door)")
            for item in all where Self.storeModules.contains(item.module) {
                XCTFail("\(door)/\(item.file) imports \(item.module): doors call the services, never the store")
            }
        }
    }

    func testTheCoreImportsTheStoreInternallyAndNothingElseDoes() throws {
        for item in try imports(of: "StewardCore") where ["StewardStore", "StewardPostgres"].contains(item.module) {
            XCTAssertTrue(item.line.hasPrefix("internal import"), "\(item.file): \(item.line)")
        }
        for item in try imports(of: "StewardCore") where ["GRDB", "GRDBSQLite", "PostgresNIO"].contains(item.module) {
            XCTFail("StewardCore/\(item.file) imports \(item.module): SQL lives in StewardStore and StewardPostgres")
        }
        for item in try imports(of: "StewardModel") {
            XCTAssertTrue(["Foundation", "Dispatch", "Synchronization"].contains(item.module), "StewardModel depends on nothing: \(item.file) imports \(item.module)")
        }
    }

    func testThePackageGivesNoDoorTheStore() throws {
        let manifest = try String(contentsOf: Self.sources.deletingLastPathComponent().appendingPathComponent("Package.swift"), encoding: .utf8)
        for door in ["StewardHTTP", "StewardConsole", "steward"] {
            let start = try XCTUnwrap(manifest.range(of: "name: \"\(door)\",\n            dependencies:"), door)
            let rest = manifest[start.upperBound...]
            let end = rest.range(of: "\n        ),")?.lowerBound ?? rest.endIndex
            let declaration = rest[..<end]
            XCTAssertFalse(declaration.contains("\"StewardStore\""), "\(door) must not depend on StewardStore")
            XCTAssertFalse(declaration.contains("GRDB"), "\(door) must not depend on GRDB")
        }
    }
}
