/// Every benchmark by name. A new benchmark adds its file to this folder and a line here.
let benches: [String: @Sendable ([String]) async throws -> Void] = [
    "core": CoreBench.run,
    "logs": LogsBench.run,
    "console": ConsoleBench.run,
    "drill": DrillBench.run,
    "ceiling": CeilingBench.run,
]
