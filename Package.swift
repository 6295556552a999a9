// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "Steward",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "steward", targets: ["steward"]),
        .executable(name: "steward-bench", targets: ["StewardBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
    ],
    targets: [
        .systemLibrary(name: "CNcurses", providers: [.apt(["libncurses-dev"])]),
        .systemLibrary(name: "CArgon2", providers: [.apt(["libargon2-dev"])]),
        .systemLibrary(name: "COpenSSL", providers: [.apt(["libssl-dev"])]),
        // The values every layer speaks (records, errors, permissions) and the `DataStore`
        // protocol the services depend on. No dependencies.
        .target(name: "StewardModel"),
        // The SQLite implementation of `DataStore`: all SQL and GRDB live here. Only
        // StewardCore depends on it (and imports it `internal`), so no door can reach it.
        .target(
            name: "StewardStore",
            dependencies: ["StewardModel", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The PostgreSQL implementation of `DataStore` (SPEC §8): all its SQL lives here.
        // Like StewardStore, only StewardCore depends on it, and imports it `internal`.
        .target(
            name: "StewardPostgres",
            dependencies: [
                "StewardModel",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The read-only files Steward ships are compiled in, so a copied or installed binary
        // needs no folder beside it: the common-password list and the demo set here, the
        // built-in themes in StewardConsole. `data/` and `themes/` hold symlinks to them.
        .target(
            name: "StewardCore",
            dependencies: [
                "StewardModel", "StewardStore", "StewardPostgres", "CArgon2", "COpenSSL",
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [
                .embedInCode("Resources/common-passwords.txt"),
                .embedInCode("Resources/demo/users.json"),
                .embedInCode("Resources/demo/posts.json"),
                .embedInCode("Resources/demo/comments.json"),
            ]
        ),
        .target(
            name: "StewardHTTP",
            dependencies: [
                "StewardCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.embedInCode("openapi.json")]
        ),
        .target(
            name: "StewardConsole",
            dependencies: ["StewardCore", "CNcurses"],
            resources: [
                .embedInCode("Resources/themes/default.theme"),
                .embedInCode("Resources/themes/light.theme"),
                .embedInCode("Resources/themes/high-contrast.theme"),
                .embedInCode("Resources/themes/monochrome.theme"),
            ]
        ),
        .executableTarget(
            name: "steward",
            dependencies: [
                "StewardCore", "StewardHTTP", "StewardConsole",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "StewardBench",
            dependencies: ["StewardCore", "StewardStore", "StewardHTTP", "StewardConsole", .product(name: "Logging", package: "swift-log"),
                           .product(name: "Hummingbird", package: "hummingbird")]
        ),
        .testTarget(name: "StewardCoreTests", dependencies: ["StewardCore", "StewardStore", "StewardPostgres"]),
        .testTarget(
            name: "StewardHTTPTests",
            dependencies: ["StewardHTTP", "StewardCore", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "StewardConsoleTests", dependencies: ["StewardConsole", "StewardCore"], exclude: ["Snapshots"]),
    ],
    swiftLanguageModes: [.v6]
)
