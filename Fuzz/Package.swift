// swift-tools-version:6.0
// libFuzzer targets for every reader of outside bytes; built and run by scripts/fuzz, never by
// the main package's `swift build` or `swift test`. scripts/fuzz builds every module with
// `-sanitize=fuzzer,address -parse-as-library` (libFuzzer supplies `main`).
import Foundation
import PackageDescription

// The main package is the parent directory; SwiftPM names a path dependency by its folder.
let mainPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

let package = Package(
    name: "SPOFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: mainPackage.path)],
    targets: [
        .executableTarget(
            name: "spo-fuzz",
            dependencies: [
                .product(name: "Experiments", package: mainPackage.lastPathComponent),
                .product(name: "Learning", package: mainPackage.lastPathComponent),
                .product(name: "Environments", package: mainPackage.lastPathComponent),
            ]
        )
    ]
)
