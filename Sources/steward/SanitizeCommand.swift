import ArgumentParser
import Foundation
import StewardCore

struct SanitizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sanitize",
        abstract: "Read rich text on stdin and print what Steward would store (the allowlist cleaner).")

    @Flag(name: .long, help: "Print the visible text instead of the cleaned HTML.") var text = false

    func run() throws {
        let input = FileHandle.standardInput.readDataToEndOfFile()
        guard let html = String(data: input, encoding: .utf8) else { throw CLIError("standard input is not UTF-8 text") }
        let cleaned = HTMLSanitizer.clean(html)
        print(text ? cleaned.visibleText : cleaned.html)
    }
}
