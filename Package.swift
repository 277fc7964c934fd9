// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "SimplePolicyOptimization",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "spo", targets: ["spo"]),
        .library(name: "Environments", targets: ["Environments"]),
        .library(name: "Learning", targets: ["Learning"]),
        .library(name: "Experiments", targets: ["Experiments"]),
        .library(name: "Rendering", targets: ["Rendering"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // C shims over Debian's system libraries.
        .target(name: "CMuJoCo", linkerSettings: [.linkedLibrary("mujoco")]),
        .target(name: "CProcess"),
        // The networks' matrix products, with the same bits on every CPU; optimised in debug
        // builds too, since the tests train real networks through them.
        .target(name: "CMatrix", cSettings: [.unsafeFlags(["-O3"])]),
        .systemLibrary(name: "CGLFW", path: "Sources/CGLFW", pkgConfig: "glfw3", providers: [.apt(["libglfw3-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),

        // Swift layers, each importing only the ones below it.
        .target(name: "MuJoCo", dependencies: ["CMuJoCo"]),
        .target(name: "Environments", dependencies: ["MuJoCo"]),
        .target(name: "Learning", dependencies: ["Environments", "CMatrix"]),
        // Beside Learning: renders any environment driven by any action function.
        .target(name: "Rendering", dependencies: ["MuJoCo", "Environments", "CMuJoCo", "CGLFW", "CZlib"]),
        .target(
            name: "Experiments",
            dependencies: [
                "Learning", "Environments", "Rendering", "CProcess", .product(name: "Yams", package: "Yams"),
            ]),
        .executableTarget(
            name: "spo",
            dependencies: [
                "MuJoCo",
                "Environments",
                "Learning",
                "Experiments",
                "Rendering",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .testTarget(name: "MuJoCoTests", dependencies: ["MuJoCo"]),
        .testTarget(
            name: "EnvironmentsTests",
            dependencies: ["Environments", "MuJoCo"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "LearningTests",
            dependencies: ["Learning", "Environments"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "Learning"]),
        .testTarget(name: "RenderingTests", dependencies: ["Rendering", "Environments", "CZlib"]),
    ]
)
