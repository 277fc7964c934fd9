import Foundation
import Learning
import Testing

@testable import Experiments

/// Hostile and damaged files given to the real `spo` executable: each must end with exit
/// status 1 or 2 and a message naming the file and the field, never a signal or a file written
/// outside the results tree.
@Suite("Saved files are data", .serialized)
struct HostileFileTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("trust-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// A tiny real run of `name` under `results`: its configuration file and run files.
    func tinyRun(_ name: String, results: URL, extra: String = "") throws -> (config: URL, files: RunFiles) {
        let config = directory.appendingPathComponent("\(name).yaml")
        try """
        name: \(name)
        tasks: [Hopper-v4]
        algorithms: [ppo-penalty]
        seeds: [1]
        totalSteps: 256
        hyperparameters: {environments: 2, horizon: 32, epochs: 1, workers: 1\(extra)}
        evaluation: {episodes: 1}
        checkpointEvery: 2
        """.write(to: config, atomically: true, encoding: .utf8)
        let run = try ExperimentConfiguration.load(path: config.path).runs[0]
        return (config, RunFiles(root: results, run: run))
    }

    /// `json` with `change` applied to its top-level object.
    func edited(_ url: URL, _ change: (inout [String: Any]) -> Void) throws -> Data {
        var object = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        change(&object)
        return try JSONSerialization.data(withJSONObject: object)
    }

    @Test("hostile agent files give exit 2 naming the field, not a trap")
    func hostileAgents() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let results = directory.appendingPathComponent("results")
        let (config, files) = try tinyRun("agents", results: results)
        let run = try SPOProcess.run(["run", config.path, "--results", results.path], in: directory)
        try #require(run.status == 0, "\(run.log)")
        let cases: [(String, (inout [String: Any]) -> Void, String)] = [
            ("negative size", { $0["actorSizes"] = [11, -64, 3] }, "actorSizes"),
            ("huge sizes", { $0["actorSizes"] = [11, 1_000_000_000, 1_000_000_000, 3] }, "actorSizes"),
            ("no wrappers", { $0["wrappers"] = [Any]() }, "wrappers"),
            ("short parameters", { $0["parameters"] = [1.0, 2.0] }, "parameters"),
            (
                "negative variance",
                { agent in
                    var wrappers = agent["wrappers"] as! [[String: Any]]
                    var statistics = wrappers[0]["observationStatistics"] as! [String: Any]
                    statistics["variance"] = [Double](repeating: -1, count: 11)
                    wrappers[0]["observationStatistics"] = statistics
                    agent["wrappers"] = wrappers
                }, "wrappers[0].observationStatistics.variance[0]"
            ),
            (
                "huge environment count",
                { agent in
                    var configuration = agent["configuration"] as! [String: Any]
                    configuration["environments"] = 1 << 40
                    agent["configuration"] = configuration
                }, "configuration: environments must be at most"
            ),
            ("not an agent", { $0 = ["format": "spo-agent", "version": 1] }, "configuration: missing"),
        ]
        for (name, change, field) in cases {
            let hostile = directory.appendingPathComponent("\(name).json")
            try edited(files.agent, change).write(to: hostile)
            let result = try SPOProcess.run(["eval", hostile.path, "--episodes", "1"], in: directory)
            #expect(result.status == 2, "\(name): \(result.log)")
            #expect(result.log.contains(hostile.path) && result.log.contains(field), "\(name): \(result.log)")
        }
    }

    @Test("a hostile checkpoint fails the run naming the checkpoint and field; a hostile summary is not the run's")
    func hostileRunFiles() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let results = directory.appendingPathComponent("results")
        let (config, files) = try tinyRun("runfiles", results: results)
        let stopped = try SPOProcess.start(
            ["run", config.path, "--results", results.path], log: directory.appendingPathComponent("stop.txt"))
        #expect(SPOProcess.wait { FileManager.default.fileExists(atPath: files.checkpoint.path) || !stopped.isRunning })
        kill(stopped.processIdentifier, SIGKILL)
        stopped.waitUntilExit()
        if FileManager.default.fileExists(atPath: files.summary.path) {
            try FileManager.default.removeItem(at: files.summary)
        }
        let original = try Data(contentsOf: files.checkpoint)
        let cases: [(String, (inout [String: Any]) -> Void, String)] = [
            (
                "short generator",
                { checkpoint in
                    var trainer = checkpoint["trainer"] as! [String: Any]
                    trainer["random"] = ["state": [1, 2]]
                    checkpoint["trainer"] = trainer
                }, "trainer.random.state"
            ),
            (
                "wrapper of another size",
                { checkpoint in
                    var trainer = checkpoint["trainer"] as! [String: Any]
                    var wrappers = trainer["wrappers"] as! [[String: Any]]
                    wrappers[1]["observationStatistics"] = ["mean": [0.0], "variance": [1.0], "count": 1.0]
                    trainer["wrappers"] = wrappers
                    checkpoint["trainer"] = trainer
                }, "trainer.wrappers[1].observationStatistics.mean"
            ),
            (
                "update out of range",
                { checkpoint in
                    var trainer = checkpoint["trainer"] as! [String: Any]
                    trainer["update"] = 1 << 60
                    checkpoint["trainer"] = trainer
                }, "trainer.update"
            ),
            (
                "negative file size", { $0["fileSizes"] = ["updates.csv": -5, "episodes.csv": 0, "events": 0] },
                "fileSizes.updates.csv"
            ),
        ]
        for (name, change, field) in cases {
            try original.write(to: files.checkpoint)
            try edited(files.checkpoint, change).write(to: files.checkpoint)
            let result = try SPOProcess.run(["run", config.path, "--results", results.path], in: directory)
            #expect(result.status == 1, "\(name): \(result.log)")
            #expect(result.log.contains(files.checkpoint.path) && result.log.contains(field), "\(name): \(result.log)")
        }

        // A summary naming another run (its id climbing out of the tree) is refused, not followed.
        try original.write(to: files.checkpoint)
        let finished = try SPOProcess.run(["run", config.path, "--results", results.path], in: directory)
        try #require(finished.status == 0, "\(finished.log)")
        let escaping = try edited(files.summary) { $0["id"] = "../../../escaped" }
        try escaping.write(to: files.summary)
        let before = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        let table = try SPOProcess.run(["table", config.path, "--results", results.path], in: directory)
        #expect(table.status == 1 && table.log.contains("id: must be this run's"), "\(table.log)")
        let status = try SPOProcess.run(["status", config.path, "--results", results.path], in: directory)
        #expect(status.status == 0)
        let after = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { !$0.hasPrefix("log-") }
            .sorted()
        #expect(after == before.filter { !$0.hasPrefix("log-") }, "a file appeared outside the results tree")
    }

    @Test("hostile configurations give exit 2 naming the field")
    func hostileConfigurations() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let cases = [
            ("{environments: 1099511627776, horizon: 1099511627776}", "environments must be at most"),
            ("{horizon: 4611686018427387904}", "horizon must be at most"),
        ]
        for (hyperparameters, message) in cases {
            let config = directory.appendingPathComponent("huge.yaml")
            try
                ("name: huge\ntasks: [Hopper-v4]\nalgorithms: [spo]\nseeds: [1]\ntotalSteps: 4096\n"
                + "hyperparameters: \(hyperparameters)\n").write(to: config, atomically: true, encoding: .utf8)
            let result = try SPOProcess.run(
                ["run", config.path, "--results", directory.appendingPathComponent("results").path], in: directory)
            #expect(result.status == 2 && result.log.contains(message), "\(result.log)")
        }
    }
}

/// Divergence is an outcome: PPO with a huge step runs away, the run is recorded as diverged,
/// shown as such and never trained again.
@Suite("Divergence", .serialized)
struct DivergenceTests {
    @Test("spo train ends a diverged run with exit 3, a clear message and readable numbers")
    func trainDiverges() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("diverge-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let out = directory.appendingPathComponent("out")
        let result = try SPOProcess.run(
            [
                "train", "--env", "Hopper-v4", "--algo", "ppo", "--lr", "50", "--max-grad-norm", "1000000",
                "--steps", "8192", "--out", out.path,
            ], in: directory)
        #expect(result.status == Divergence.exitStatus, "\(result.log)")
        #expect(
            result.log.contains("diverged at update 2: ratio_deviation is nan; last finite values 0.97"),
            "\(result.log)")
        #expect(result.log.contains("KL 1.2e+261"), "\(result.log)")
        #expect(!result.log.contains("000000000000000000"), "a number printed as hundreds of digits")
        #expect(SPOProcess.lineCount(out.appendingPathComponent("updates.csv")) == 2)
        // The agent holds the last finite parameters and loads.
        let agent = try SavedAgent.read(from: out.appendingPathComponent("agent.json"))
        #expect(agent.parameters.allSatisfy { $0.isFinite })
    }

    @Test("spo run records a diverged run; table and status show it; a rerun does not train it again")
    func runRecordsDivergence() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("diverge-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("diverge.yaml")
        try """
        name: diverge
        tasks: [Hopper-v4]
        algorithms: [{name: ppo, label: ppo-lr50, overrides: {learningRate: 50, maxGradientNorm: 1000000}}, spo]
        seeds: [1]
        totalSteps: 8192
        evaluation: {episodes: 1}
        checkpointEvery: 1
        """.write(to: config, atomically: true, encoding: .utf8)
        let results = directory.appendingPathComponent("results")
        let first = try SPOProcess.run(["run", config.path, "--results", results.path], in: directory)
        #expect(first.status == 0, "\(first.log)")
        #expect(first.log.contains("DIVERGED"), "\(first.log)")
        let runs = try ExperimentConfiguration.load(path: config.path).runs
        let diverged = RunFiles(root: results, run: runs[0]), healthy = RunFiles(root: results, run: runs[1])
        let summary = try #require(try diverged.readSummary())
        let divergence = try #require(summary.divergence)
        #expect(
            divergence.update == 2 && divergence.quantity == "ratio_deviation" && divergence.lastFiniteValues.count == 1
        )
        #expect(summary.updates == 1 && summary.steps == 4096)
        #expect(try healthy.readSummary()?.divergence == nil)
        // A summary without the field (as every summary before it) still decodes.
        #expect(!(try String(contentsOf: healthy.summary, encoding: .utf8)).contains("divergence"))

        let status = try SPOProcess.runCapturingOutput(
            ["status", config.path, "--results", results.path], in: directory)
        #expect(status.output.contains("diverged  \(runs[0].id)  diverged at update 2"), "\(status.output)")
        #expect(status.output.contains("1 finished, 1 diverged"), "\(status.output)")
        let table = try SPOProcess.runCapturingOutput(["table", config.path, "--results", results.path], in: directory)
        #expect(table.output.contains("| 1/1, 1 diverged |"), "\(table.output)")

        let updates = try Data(contentsOf: diverged.updates)
        let second = try SPOProcess.run(["run", config.path, "--results", results.path], in: directory)
        #expect(second.status == 0 && second.log.contains("2 already finished"), "\(second.log)")
        #expect(try Data(contentsOf: diverged.updates) == updates)
    }
}

/// A results tree on a full filesystem: the run fails naming the path, its checkpoint and logs
/// stay valid, and after space is freed a rerun resumes to the bytes of an uninterrupted run.
@Suite("Full disk", .serialized)
struct FullDiskTests {
    /// Mounts a tmpfs of `megabytes` at `directory`; false when mounting is not permitted.
    static func mount(_ directory: URL, megabytes: Int) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/mount")
        process.arguments = ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", directory.path]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    static func unmount(_ directory: URL) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/umount")
        process.arguments = [directory.path]
        try? process.run()
        process.waitUntilExit()
    }

    /// Whether this machine lets the tests mount a tmpfs; under CI=true the test always runs.
    static var canMount: Bool {
        if ProcessInfo.processInfo.environment["CI"] == "true" { return true }
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("tmpfs-probe-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: probe, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: probe) }
        guard mount(probe, megabytes: 1) else { return false }
        unmount(probe)
        return true
    }

    @Test(
        "no space left: a clear error, a valid checkpoint, and a bit-identical resume",
        .enabled(if: canMount, "mounting a tmpfs is not permitted here (needs root); set CI=true to require it"))
    func fullDisk() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("full-\(UUID().uuidString)")
        let mountPoint = directory.appendingPathComponent("tmpfs")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try #require(Self.mount(mountPoint, megabytes: 8), "cannot mount a tmpfs at \(mountPoint.path)")
        defer { Self.unmount(mountPoint) }

        let config = directory.appendingPathComponent("full.yaml")
        try """
        name: full
        tasks: [Hopper-v4]
        algorithms: [spo]
        seeds: [4]
        totalSteps: 4096          # 16 updates of 4 x 64 steps
        hyperparameters: {environments: 4, horizon: 64, epochs: 2, workers: 2}
        evaluation: {episodes: 1}
        checkpointEvery: 4
        """.write(to: config, atomically: true, encoding: .utf8)
        let run = try ExperimentConfiguration.load(path: config.path).runs[0]
        let reference = RunFiles(root: directory.appendingPathComponent("reference"), run: run)
        let straight = try SPOProcess.run(
            ["run", config.path, "--results", directory.appendingPathComponent("reference").path], in: directory)
        try #require(straight.status == 0, "\(straight.log)")

        // Fill the tmpfs so that about half of the run's final bytes fit.
        let needed = try [
            reference.updates, reference.episodes, reference.events, reference.checkpoint, reference.specification,
        ]
        .reduce(0) { $0 + (try FileManager.default.attributesOfItem(atPath: $1.path)[.size] as! Int) }
        let results = mountPoint.appendingPathComponent("results")
        let filler = mountPoint.appendingPathComponent("filler")
        var space = statvfs()
        statvfs(mountPoint.path, &space)
        let free = Int(space.f_bavail) * Int(space.f_frsize)
        try Data(count: max(0, free - needed * 3 / 2)).write(to: filler)
        let full = try SPOProcess.run(["run", config.path, "--results", results.path], in: directory)
        #expect(full.status == 1, "\(full.log)")
        #expect(full.log.contains("No space left on device") && full.log.contains(results.path), "\(full.log)")
        let files = RunFiles(root: results, run: run)
        #expect(!files.isFinished)
        // It stopped mid-run, after a checkpoint, whose recorded log sizes are all there.
        #expect(FileManager.default.fileExists(atPath: files.checkpoint.path), "\(full.log)")
        if FileManager.default.fileExists(atPath: files.checkpoint.path) {
            let checkpoint = try RunCheckpoint.decode(Data(contentsOf: files.checkpoint), path: files.checkpoint.path)
            for (name, url) in [("updates.csv", files.updates), ("episodes.csv", files.episodes)] {
                let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as! Int
                #expect(size >= checkpoint.fileSizes[name]!, "\(name) is shorter than its checkpoint recorded")
            }
        }

        try FileManager.default.removeItem(at: filler)
        let rerun = try SPOProcess.run(["run", config.path, "--results", results.path], in: directory)
        #expect(rerun.status == 0, "\(rerun.log)")
        func withoutTiming(_ url: URL) throws -> String {
            try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
                .map { $0.split(separator: ",", omittingEmptySubsequences: false).dropLast(3).joined(separator: ",") }
                .joined(separator: "\n")
        }
        #expect(try withoutTiming(files.updates) == withoutTiming(reference.updates))
        #expect(try Data(contentsOf: files.episodes) == Data(contentsOf: reference.episodes))
        #expect(try Data(contentsOf: files.agent) == Data(contentsOf: reference.agent))
        var resumed = try #require(RunSummary.read(files.summary)),
            straightSummary = try #require(RunSummary.read(reference.summary))
        resumed.timing = .init(trainingSeconds: 0, finishedAt: "")
        straightSummary.timing = resumed.timing
        #expect(resumed == straightSummary)
    }

    @Test(
        "a read-only results tree: a clear error naming the path, nothing written, and a normal run once writable",
        .enabled(if: canMount, "mounting a tmpfs is not permitted here (needs root); set CI=true to require it"))
    func readOnly() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("readonly-\(UUID().uuidString)")
        let mountPoint = directory.appendingPathComponent("tmpfs")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try #require(Self.mount(mountPoint, megabytes: 8), "cannot mount a tmpfs at \(mountPoint.path)")
        defer { Self.unmount(mountPoint) }
        let results = mountPoint.appendingPathComponent("results")
        try FileManager.default.createDirectory(at: results, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("readonly.yaml")
        try """
        name: readonly
        tasks: [Hopper-v4]
        algorithms: [spo]
        seeds: [4]
        totalSteps: 1024
        hyperparameters: {environments: 4, horizon: 64, epochs: 1, workers: 2}
        evaluation: {episodes: 1}
        """.write(to: config, atomically: true, encoding: .utf8)

        func remount(_ mode: String) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/mount")
            process.arguments = ["-o", "remount,\(mode)", mountPoint.path]
            try process.run()
            process.waitUntilExit()
            try #require(process.terminationStatus == 0, "cannot remount \(mountPoint.path) \(mode)")
        }
        try remount("ro")
        let refused = try SPOProcess.run(["run", config.path, "--results", results.path], in: directory)
        #expect(refused.status != 0, "\(refused.log)")
        #expect(refused.log.contains("Read-only file system") && refused.log.contains(results.path), "\(refused.log)")
        try remount("rw")
        #expect(try FileManager.default.contentsOfDirectory(atPath: results.path).isEmpty, "nothing was written")
        let run = try SPOProcess.run(["run", config.path, "--results", results.path], in: directory)
        #expect(run.status == 0, "\(run.log)")
        let spec = try ExperimentConfiguration.load(path: config.path).runs[0]
        #expect(RunFiles(root: results, run: spec).isFinished)
    }
}

extension SPOProcess {
    /// Runs `spo arguments…` to the end; returns the exit status and standard output.
    static func runCapturingOutput(_ arguments: [String], in directory: URL) throws -> (status: Int32, output: String) {
        let output = directory.appendingPathComponent("out-\(UUID().uuidString).txt")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        defer { try? FileManager.default.removeItem(at: output) }
        return (process.terminationStatus, try String(contentsOf: output, encoding: .utf8))
    }
}
