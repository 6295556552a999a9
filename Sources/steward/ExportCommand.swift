import ArgumentParser
import Foundation
import StewardCore

extension ExportService.Subject: ExpressibleByArgument {}
extension ExportService.Format: ExpressibleByArgument {}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export users, posts, comments or security events as JSON lines or CSV.",
        discussion: """
            --out names a new file, or a folder (a path ending in /, or an existing folder) to write \
            steward-WHAT-YYYYMMDD-HHMMSS.EXT into; the file appears complete, with mode 0600, and an \
            existing file is replaced only with --force. Without --out the rows go to standard output. \
            CSV is RFC 4180 with CRLF line ends; a cell starting with = + - @ gets a ' first so that \
            spreadsheets do not run it. Audited as EXPORT.
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(name: .long, help: "users, posts, comments or security-events.") var what: ExportService.Subject
    @Option(name: .long, help: "jsonl or csv.") var format: ExportService.Format = .jsonl
    @Option(name: .long, help: "Output file or folder (default: standard output).") var out: String?
    @Flag(name: .long, help: "Replace the file named by --out if it exists.") var force = false

    func run() throws {
        let services = try database.openServices()
        let destination: ExportService.Destination = if let out {
            .file(out, force: force)
        } else if isatty(STDOUT_FILENO) == 1 {
            // On a terminal, stored text must not drive it: escape sequences in a post's
            // title would otherwise move the cursor or retitle the window. A pipe or a file
            // gets the exact bytes.
            .stream { data in FileHandle.standardOutput.write(Data(TerminalSafe.text(String(decoding: data, as: UTF8.self)).utf8)) }
        } else {
            .stream { data in FileHandle.standardOutput.write(data) }
        }
        let what = self.what, format = self.format
        let report = try blocking { try await services.exports.export(.commandLine, what, format: format, to: destination) }
        if let path = report.path { printError("exported \(report.rows) \(what.rawValue) to \(path)") }
    }
}
