// swift-tools-version: 6.0
import PackageDescription

let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]
// The explorer's inner loop touches class-held buffers millions of times per second; dynamic exclusivity
// checks cost about a fifth of its time (measured with perf), and these targets never overlap accesses.
// SwiftPM refuses `unsafeFlags` in a package used as a dependency, so no library product may contain these
// targets (PackedSystem, Explorer, nor Reports and SMT, which are built on PackedSystem): they stay internal
// to this package, built with the flag, and only the front end is offered as a library.
let hotLoop: [SwiftSetting] = strict + [.unsafeFlags(["-enforce-exclusivity=unchecked"])]

let package = Package(
    name: "vfio-mc",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "vfio-mc", targets: ["VfioMC"]),
        .library(name: "ModelLanguage", targets: ["ModelLanguage"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Front end: lexer, parser, AST, type checker, diagnostics.
        .target(name: "ModelLanguage", swiftSettings: strict),
        // The packed transition system every engine consumes: bit layout, lowering, compiled programs, results.
        .target(name: "PackedSystem", dependencies: ["ModelLanguage", "CProcessSupport"], swiftSettings: hotLoop),
        // Cache prefetch hints and atomics on raw memory for the explorer's hash table (no Swift intrinsics).
        .target(name: "CExplorerSupport"),
        // The explicit-state engine.
        .target(name: "Explorer", dependencies: ["PackedSystem", "CExplorerSupport"], swiftSettings: hotLoop),
        // Process plumbing the Swift overlay cannot express under strict concurrency: checked flushing of stdout,
        // SIGINT/SIGTERM handlers that only record the signal for the search to poll, and the child process groups
        // (the native compile's) that an abrupt end of the process kills.
        .target(name: "CProcessSupport"),
        // Z3's C API, found through pkg-config (Debian: libz3-dev).
        .systemLibrary(name: "CZ3", pkgConfig: "z3", providers: [.apt(["libz3-dev"])]),
        // The Z3 calls that may start a thread, each inside a C++ `try`: a thread the system refuses throws a
        // `std::system_error` that Z3's C API lets through, which would otherwise end the process.
        .target(name: "CZ3Guard", dependencies: ["CZ3"]),
        // The symbolic engine: bounded model checking, k-induction and PDR with Z3. It calls the explorer for the
        // reachable graph's liveness lassos (the explorer's own algorithm, so the lassos are the explorer's), which
        // it then checks in its own encoding (`ExplicitLassos`).
        .target(name: "SMT", dependencies: ["PackedSystem", "Explorer", "CZ3", "CZ3Guard"], swiftSettings: strict),
        // Analyses of a checked model that renderers and the reviewer's commands both use: which values are
        // devices and state variables (the projection), the projected state graphs, and a model checked and
        // projected in one step. Below both Reports and Review, so Review need not import renderers to reach them.
        .target(name: "Analysis", dependencies: ["PackedSystem", "Explorer"], swiftSettings: strict),
        // The reviewer's workflow: diff two versions of a model, replay observed traces, export automata. It returns
        // values (a diff, a replay) and renders nothing of the reports: Reports renders them.
        .target(name: "Review", dependencies: ["PackedSystem", "Explorer", "Analysis"], swiftSettings: strict),
        // Renderers: terminal text (results, matrices, diffs), JSON, HTML, Markdown, SVG, ITF, JUnit.
        .target(name: "Reports", dependencies: ["PackedSystem", "Explorer", "Analysis", "Review", "SMT"], swiftSettings: strict),
        // The Promela translation of a whole model for SPIN (`export --format promela`), on the lowered-expression
        // algebra of PackedSystem.
        .target(name: "PromelaExport", dependencies: ["PackedSystem"], swiftSettings: strict),
        // The facade the commands call to check a system: the selected engines and the cross-engine verdict policy.
        .target(name: "Checking", dependencies: ["ModelLanguage", "PackedSystem", "Explorer", "SMT"], swiftSettings: strict),
        // The executable: argument parsing and wiring only.
        .executableTarget(
            name: "VfioMC",
            dependencies: [
                "ModelLanguage", "PackedSystem", "Explorer", "Analysis", "Reports", "SMT", "Checking", "Review", "PromelaExport", "CProcessSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        // Support code shared by the test targets: the repository's sample models, a seeded generator, a deadline
        // for tests that must report a hang.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "ModelLanguageTests", dependencies: ["ModelLanguage", "TestSupport"],
                    resources: [.copy("Malformed")], swiftSettings: strict),
        .testTarget(name: "PackedSystemTests", dependencies: ["PackedSystem", "ModelLanguage", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "ExplorerTests", dependencies: ["Explorer", "PackedSystem", "ModelLanguage", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "SMTTests", dependencies: ["SMT", "CZ3", "Checking", "Explorer", "PackedSystem", "ModelLanguage", "Reports"], swiftSettings: strict),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Analysis", "Explorer", "PackedSystem", "ModelLanguage"], swiftSettings: strict),
        .testTarget(name: "ReviewTests", dependencies: ["Review", "Reports", "PromelaExport", "Analysis", "Explorer", "PackedSystem", "ModelLanguage"], swiftSettings: strict),
        .testTarget(name: "CLITests", dependencies: ["VfioMC", "TestSupport"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
