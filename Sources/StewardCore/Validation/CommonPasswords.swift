import Foundation

/// The list of passwords too common to allow (docs/security.md), shipped as
/// `data/common-passwords.txt`.
///
/// The file has one password per line; empty lines and lines starting with `#` are
/// skipped. Entries are kept lower-cased, and lookups lower-case the candidate too, so
/// "P@ssw0rd" is refused because "p@ssw0rd" is listed: changing the case of a known
/// password is the first thing a guessing attacker tries.
public struct CommonPasswords: Sendable {
    /// Where the list lives, relative to the project (or installation) folder.
    public static let relativePath = "data/common-passwords.txt"

    private let entries: Set<String>

    /// A list holding `words`, lower-cased. Empty words are ignored.
    public init(_ words: some Sequence<String>) {
        var entries = Set<String>()
        for word in words where !word.isEmpty {
            entries.insert(word.lowercased())
        }
        self.entries = entries
    }

    /// Loads the list from a file in the format above.
    ///
    /// A file that cannot be read as UTF-8, or that holds no entry at all, is an error:
    /// starting with an empty list would silently switch the check off.
    public init(contentsOf url: URL) throws {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw StewardError.internalError("cannot read the common-password list \(url.path): \(error)")
        }
        let words = text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard !words.isEmpty else {
            throw StewardError.internalError("the common-password list \(url.path) has no entries")
        }
        self.init(words)
    }

    /// Whether `password` is on the list, ignoring case.
    public func contains(_ password: String) -> Bool {
        entries.contains(password.lowercased())
    }

    /// How many distinct entries the list has.
    public var count: Int { entries.count }

    /// Finds `data/common-passwords.txt` in the nearest folder that has it, searching each
    /// of `paths` and then each of its parent folders up to the root.
    ///
    /// Pass the places a run of Steward has to hand, most specific first: the working
    /// folder, the executable's path, the database's path; a test passes `#filePath`.
    /// A path that is a symbolic link is searched both where it is and where it points,
    /// so a binary linked into `/usr/local/bin` still finds the list beside its checkout.
    /// Returns `nil` when no folder above any of the paths holds the list.
    public static func locate(near paths: [String]) -> URL? {
        let fileManager = FileManager.default
        for path in paths where !path.isEmpty {
            let given = URL(fileURLWithPath: path).standardizedFileURL.path
            let resolved = URL(fileURLWithPath: given).resolvingSymlinksInPath().path
            for start in given == resolved ? [given] : [given, resolved] {
                var folder = start
                while true {
                    let candidate = (folder as NSString).appendingPathComponent(relativePath)
                    if fileManager.isReadableFile(atPath: candidate) {
                        return URL(fileURLWithPath: candidate)
                    }
                    let parent = (folder as NSString).deletingLastPathComponent
                    // The root is its own parent; an empty parent means a relative path ran out.
                    if parent == folder || parent.isEmpty { break }
                    folder = parent
                }
            }
        }
        return nil
    }
}
