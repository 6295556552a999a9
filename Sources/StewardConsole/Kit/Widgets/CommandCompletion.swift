/// What Tab does on the `:` line: completes the word under the cursor (the line's last
/// word) from the words that can stand there — command names first, then a command's
/// arguments (`:theme` names, `:export` subjects and formats).
///
/// Several candidates extend the word to their longest common prefix, as a shell does;
/// when that adds nothing, each further Tab shows the next candidate in turn, so every
/// choice can be reached without typing. A single candidate is completed and followed by
/// a space, ready for the next word.
struct CommandCompletion {
    /// The candidates being cycled through, and the line they complete.
    private var cycle: (stem: String, matches: [String], index: Int, shown: String)?


    init() {}

    /// The line after one Tab on `line`; nil when nothing completes it. `candidates`
    /// gives the words that can stand at a position: 0 for the command name, 1 for the
    /// first argument of `command`, and so on.
    mutating func complete(_ line: String, candidates: (_ command: String, _ position: Int) -> [String]) -> String? {
        if let open = cycle, open.shown == line, !open.matches.isEmpty {
            let index = (open.index + 1) % open.matches.count
            let shown = open.stem + open.matches[index]
            cycle = (open.stem, open.matches, index, shown)
            return shown
        }
        cycle = nil
        let endsWithSpace = line.hasSuffix(" ")
        var words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let word = endsWithSpace ? "" : (words.popLast() ?? "")
        let position = words.count
        let command = position == 0 ? "" : words[0].lowercased()
        let matches = candidates(command, position).filter { $0.lowercased().hasPrefix(word.lowercased()) }
        let stem = words.isEmpty ? "" : words.joined(separator: " ") + " "
        switch matches.count {
        case 0:
            return nil
        case 1:
            return stem + matches[0] + " "
        default:
            let common = CommandCompletion.commonPrefix(matches)
            if common.count > word.count { return stem + common }
            let shown = stem + matches[0]
            cycle = (stem, matches, 0, shown)
            return shown
        }
    }

    static func commonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first else { return "" }
        for word in words.dropFirst() {
            while !word.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }
}
