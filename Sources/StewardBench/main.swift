import Foundation
import StewardHTTP

/// `steward-bench`: measurements `make bench` runs against a release build. Each
/// subcommand prints Markdown. Timed here, never asserted in tests.
let arguments = Array(CommandLine.arguments.dropFirst())
guard let name = arguments.first, let bench = benches[name] else {
    FileHandle.standardError.write(Data("usage: steward-bench \(benches.keys.sorted().joined(separator: "|")) [arguments]\n".utf8))
    exit(2)
}
// `ceiling --event-loop-executor`: the bare framework with its tasks on the event loops, as
// `steward serve` runs. Installed here, before the bench starts any task.
if arguments.contains("--event-loop-executor") { EventLoopExecutor.adopt() }
do {
    try await bench(Array(arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("steward-bench \(name): \(error)\n".utf8))
    exit(1)
}
