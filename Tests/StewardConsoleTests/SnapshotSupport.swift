import Foundation
import XCTest
@testable import StewardConsole

/// Compares rendered buffers with expected text kept in `Snapshots/` beside this file.
///
/// Run the tests with `STEWARD_RECORD_SNAPSHOTS=1` to (re)write the expected files, then
/// read the diff before committing: the files are the specification of what each widget
/// looks like. Without the variable a missing file is a failure, never a silent pass.
enum Snapshot {
    /// The folder of this test target in the repository (symlinks resolved, so a scratch
    /// package that links the tests in still reads and writes the repository's files).
    static func testsDirectory(file: StaticString = #filePath) -> URL {
        URL(fileURLWithPath: "\(file)").resolvingSymlinksInPath().deletingLastPathComponent()
    }

    static var isRecording: Bool {
        ProcessInfo.processInfo.environment["STEWARD_RECORD_SNAPSHOTS"] == "1"
    }

    static func assertMatches(_ buffer: CellBuffer, named name: String, file: StaticString = #filePath, line: UInt = #line) {
        let url = testsDirectory().appendingPathComponent("Snapshots/\(name).txt")
        let actual = buffer.text() + "\n"
        if isRecording {
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try actual.write(to: url, atomically: true, encoding: .utf8)
            } catch {
                XCTFail("could not record snapshot \(url.path): \(error)", file: file, line: line)
            }
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            XCTFail("no snapshot at \(url.path); run with STEWARD_RECORD_SNAPSHOTS=1 and review it", file: file, line: line)
            return
        }
        if expected != actual {
            let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
            var report: [String] = []
            for index in 0..<max(expectedLines.count, actualLines.count) {
                let e = index < expectedLines.count ? String(expectedLines[index]) : "<none>"
                let a = index < actualLines.count ? String(actualLines[index]) : "<none>"
                if e != a { report.append("line \(index + 1):\n  expected: \(e)\n  actual:   \(a)") }
            }
            XCTFail("snapshot \(name) differs:\n" + report.prefix(8).joined(separator: "\n"), file: file, line: line)
        }
    }
}

