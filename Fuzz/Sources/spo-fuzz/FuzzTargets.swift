import Environments
import Experiments
import Foundation
import Learning

/// The fuzz targets: every reader of bytes from outside the program, by the name that
/// `scripts/fuzz` passes in `SPO_FUZZ_TARGET`. Each must return or throw a described error for
/// any input; a crash, a hang or an unbounded allocation is a bug.
enum FuzzTarget: String, CaseIterable {
    case configJSON = "config-json", configYAML = "config-yaml", agent, checkpoint, caseFile = "case-file"
    case normalization, baselineCache = "baseline-cache", runJSON = "run-json", summary, failure, csv, reference

    /// Feeds `data` to the target's reader.
    func run(_ data: Data) {
        let path = "fuzz-input"
        switch self {
        case .configJSON, .configYAML:
            guard let text = String(data: data, encoding: .utf8) else { return }
            _ = try? ExperimentConfiguration.parse(text, file: path, strictJSON: self == .configJSON)
        case .agent:
            if let agent = try? SavedAgent.decode(data, path: path) {
                // A valid agent must also act without trapping.
                let policy = AgentPolicy(
                    agent: agent,
                    actionSpace: BoxSpace(
                        low: [Float](repeating: -1, count: agent.actorSizes.last!),
                        high: [Float](repeating: 1, count: agent.actorSizes.last!)),
                    deterministic: false)
                _ = policy.action(for: [Double](repeating: 0.5, count: agent.actorSizes[0]))
            }
        case .checkpoint: _ = try? RunCheckpoint.decode(data, path: path)
        case .caseFile:
            if let file = try? ConformanceCaseFile.decode(data, path: path) { _ = try? ConformanceReplay.replay(file) }
        case .normalization: _ = try? NormalizationOverride.decode(data, path: path)
        case .baselineCache: _ = try? RandomPolicyBaseline.decodeCache(data, path: path)
        case .runJSON: _ = try? JSONDecoder.nonFinite.decode(RunSpecification.self, from: data)
        case .summary:
            if let summary = try? RunSummary.decode(data, path: path, id: "run") { _ = summary.divergence?.description }
        case .failure: _ = try? JSONDecoder().decode(RunFailure.self, from: data)
        case .csv:
            let table = CSVTable(String(decoding: data, as: UTF8.self))
            _ = ResultsArchive.reduce(table, totalSteps: 1 << 20)
            _ = CurveSeries.acrossSeeds(
                label: "fuzz",
                runs: [zip(table.column("global_step"), table.column("return")).map { (x: $0.0, y: $0.1) }],
                bins: 10, end: Double(1 << 20))
        case .reference: _ = try? ReferenceResults.parse(data, path: path)
        }
    }
}

nonisolated(unsafe) var selectedTarget = FuzzTarget.configJSON

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>
) -> Int32 {
    if let seeds = ProcessInfo.processInfo.environment["SPO_FUZZ_SEEDS"] {
        do { try GeneratedSeeds.write(to: URL(fileURLWithPath: seeds)) } catch {
            FileHandle.standardError.write(Data("cannot write seeds to \(seeds): \(error)\n".utf8))
            exit(1)
        }
        exit(0)
    }
    let name = ProcessInfo.processInfo.environment["SPO_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        FileHandle.standardError.write(
            Data(
                ("SPO_FUZZ_TARGET must be one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")); "
                    + "got '\(name)'\n").utf8))
        exit(2)
    }
    selectedTarget = target
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    selectedTarget.run(Data(bytes: bytes, count: count))
    return 0
}

/// Seed inputs made by the program itself: a tiny real run's files (run.json, the CSVs, the
/// checkpoint, the agent, the summary, also as diverged) and small examples of the other files.
/// `scripts/fuzz` adds the shipped configurations, reference and case files.
enum GeneratedSeeds {
    static func write(to directory: URL) throws {
        let results = FileManager.default.temporaryDirectory.appendingPathComponent("spo-fuzz-seeds-\(getpid())")
        defer { try? FileManager.default.removeItem(at: results) }
        let configuration = try ExperimentConfiguration.parse(
            """
            {"name": "seeds", "tasks": ["Hopper-v4"], "algorithms": ["ppo-penalty"], \
            "networks": [{"label": "tiny", "actorHidden": [4], "criticHidden": [4]}],
             "seeds": [1], "totalSteps": 64, "hyperparameters": {"environments": 2, "horizon": 16, "workers": 1},
             "evaluation": {"episodes": 1}, "checkpointEvery": 1}
            """, file: "seeds.json", strictJSON: true)
        let run = configuration.runs[0]
        let files = RunFiles(root: results, run: run)
        _ = try RunExecutor(run: run, files: files).execute(shouldStop: { false }, report: { _ in })
        func copy(_ source: URL, _ target: FuzzTarget, _ name: String) throws {
            try save(Data(contentsOf: source), target, name)
        }
        func save(_ data: Data, _ target: FuzzTarget, _ name: String) throws {
            let folder = directory.appendingPathComponent(target.rawValue)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try data.write(to: folder.appendingPathComponent(name))
        }
        try copy(files.specification, .runJSON, "run.json")
        try copy(files.updates, .csv, "updates.csv")
        try copy(files.episodes, .csv, "episodes.csv")
        try copy(files.checkpoint, .checkpoint, "checkpoint.json")
        try copy(files.agent, .agent, "agent.json")
        var summary = try require(RunSummary.read(files.summary))
        summary.id = "run"
        try save(JSONEncoder.pretty.encode(summary), .summary, "summary.json")
        summary.divergence = Divergence(update: 3, quantity: "kl", value: "inf", lastFiniteValues: [0.01, 2.5e12])
        try save(JSONEncoder.pretty.encode(summary), .summary, "diverged-summary.json")
        try save(
            Data(
                #"{"message": "environment 0 of the vector: Hopper-v4: action[0] is -nan; actions must be finite"}"#
                    .utf8), .failure, "failure.json")
        try save(
            Data(#"{"Hopper-v4": {"low": 0, "high": 3000}, "Ant-v4": {"high": 6000}}"#.utf8), .normalization,
            "normalization.json")
        try save(
            Data(
                """
                {"format": "spo-random-baselines", "version": 1, \
                "measurements": [{"task": "Hopper-v4", "episodes": 10, "seed": 0,
                 "meanReturn": 18.3, "standardDeviation": 2.1, "meanLength": 21.5, "returns": [18.3]}]}
                """.utf8), .baselineCache, "random-baselines.json")
    }

    /// `value` unless nil; then an error naming what is missing.
    private static func require<T>(_ value: T?) throws -> T {
        guard let value else { throw SavedFileError(path: "seeds", reason: "the tiny run wrote no summary") }
        return value
    }
}

/// libFuzzer's entry point that runs the fuzzing loop with `callback` on each input.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32
) -> Int32

/// The executable's `main` (SwiftPM links an executable target's `main` to `<module>_main`):
/// hands the arguments to libFuzzer's driver.
@_cdecl("spo_fuzz_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return runFuzzerDriver(&count, &arguments) { bytes, size in fuzzerTestOneInput(bytes, size) }
}
