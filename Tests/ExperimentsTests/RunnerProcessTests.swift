import Foundation
import Learning
import Testing

@testable import Experiments

/// Runs the real `spo` executable (built next to the test bundle by `swift test`) as a child
/// process, kills it at chosen points and checks what it leaves behind.
enum SPOProcess {
    static var executable: URL {
        let bundle = URL(
            fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                ?? CommandLine.arguments[0])
        return bundle.deletingLastPathComponent().appendingPathComponent("spo")
    }

    /// Starts `spo arguments…` with standard error captured to `log`, with `environment` added
    /// to this process's environment.
    static func start(_ arguments: [String], log: URL, environment: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs `spo arguments…` to the end; returns the exit status and standard error.
    static func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> (
        status: Int32, log: String
    ) {
        let log = directory.appendingPathComponent("log-\(UUID().uuidString).txt")
        let process = try start(arguments, log: log, environment: environment)
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    /// Waits until `condition` holds (polling every 2 ms), at most `timeout` seconds.
    static func wait(timeout: Double = 120, until condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            usleep(2_000)
        }
        return false
    }

    static func lineCount(_ url: URL) -> Int {
        guard let data = FileManager.default.contents(atPath: url.path) else { return 0 }
        return data.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    }
}

@Suite("spo run processes", .serialized)
struct RunnerProcessTests {
    let directory: URL
    let config: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("runner-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        config = directory.appendingPathComponent("resume.yaml")
        try """
        name: resume
        tasks: [Hopper-v4]
        algorithms: [spo, ppo-penalty]
        seeds: [3]
        totalSteps: 3072          # 12 updates of 4 x 64 steps
        hyperparameters: {environments: 4, horizon: 64, epochs: 2, workers: 2}
        evaluation: {episodes: 2}
        checkpointEvery: 3
        """.write(to: config, atomically: true, encoding: .utf8)
    }

    /// Every file of every run, timing left out: CSVs without their timing columns, the summary
    /// without `timing`, TensorBoard scalars without wall time and timing tags.
    func results(_ root: URL) throws -> [String: String] {
        var contents: [String: String] = [:]
        let configuration = try ExperimentConfiguration.load(path: config.path)
        for run in configuration.runs {
            let files = RunFiles(root: root, run: run)
            let updates = try String(contentsOf: files.updates, encoding: .utf8).split(separator: "\n").map {
                $0.split(separator: ",", omittingEmptySubsequences: false).dropLast(3).joined(separator: ",")
            }
            contents["\(run.id)/updates.csv"] = updates.joined(separator: "\n")
            contents["\(run.id)/episodes.csv"] = try String(contentsOf: files.episodes, encoding: .utf8)
            contents["\(run.id)/agent.json"] = try String(contentsOf: files.agent, encoding: .utf8)
            contents["\(run.id)/run.json"] = try String(contentsOf: files.specification, encoding: .utf8)
            var summary = try #require(RunSummary.read(files.summary))
            summary.timing = .init(trainingSeconds: 0, finishedAt: "")
            contents["\(run.id)/summary.json"] = String(decoding: try JSONEncoder.sorted.encode(summary), as: UTF8.self)
            let scalars = try TensorBoardEvents.readScalars(Data(contentsOf: files.events))
            contents["\(run.id)/events"] = scalars.filter { !UpdateMetrics.timingColumns.contains($0.tag) }.map {
                "\($0.step) \($0.tag) \($0.value)"
            }.joined(separator: "\n")
        }
        return contents
    }

    @Test("kill -9 at several points, SIGTERM and reruns end with results identical to an uninterrupted run")
    func killAndResume() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let reference = directory.appendingPathComponent("reference")
        let straight = try SPOProcess.run(["run", config.path, "--results", reference.path], in: directory)
        #expect(straight.status == 0, "\(straight.log)")
        let expected = try results(reference)
        #expect(expected.count == 12)

        let interrupted = directory.appendingPathComponent("interrupted")
        let runs = try ExperimentConfiguration.load(path: config.path).runs
        let first = RunFiles(root: interrupted, run: runs[0]), second = RunFiles(root: interrupted, run: runs[1])
        // Kill points: before any checkpoint, between checkpoints, just after one, in the second run,
        // and once with SIGTERM (which checkpoints and exits 143).
        let killPoints: [(RunFiles, Int, Int32)] = [
            (first, 2, SIGKILL), (first, 6, SIGKILL), (first, 9, SIGTERM), (first, 11, SIGKILL), (second, 4, SIGKILL),
        ]
        for (files, rows, signal) in killPoints {
            let process = try SPOProcess.start(
                ["run", config.path, "--results", interrupted.path], log: directory.appendingPathComponent("kill.txt"))
            // updates.csv has a header, so `rows` update rows means rows + 1 lines.
            let reached = SPOProcess.wait { SPOProcess.lineCount(files.updates) >= rows + 1 || !process.isRunning }
            #expect(reached)
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            if signal == SIGTERM {
                #expect(process.terminationStatus == 143)
                guard case let .pending(update?) = RunState.of(files) else {
                    Issue.record("SIGTERM left no checkpoint")
                    continue
                }
                #expect(update >= rows && update < 12)
            }
        }
        let rerun = try SPOProcess.run(["run", config.path, "--results", interrupted.path], in: directory)
        #expect(rerun.status == 0, "\(rerun.log)")
        let resumed = try results(interrupted)
        for key in expected.keys.sorted() {
            #expect(resumed[key] == expected[key], "\(key) differs after kills and resumes")
        }

        // Parallel workers die with their parent: kill -9 of `spo run --jobs 2` leaves no run held.
        let parallel = directory.appendingPathComponent("parallel")
        let process = try SPOProcess.start(
            ["run", config.path, "--results", parallel.path, "--jobs", "2"],
            log: directory.appendingPathComponent("jobs.txt"))
        let started = SPOProcess.wait {
            runs.allSatisfy { SPOProcess.lineCount(RunFiles(root: parallel, run: $0).updates) >= 3 }
                || !process.isRunning
        }
        #expect(started)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let released = SPOProcess.wait(timeout: 10) {
            runs.allSatisfy { RunLock.holder(RunFiles(root: parallel, run: $0).directory) == nil }
        }
        #expect(released, "worker processes outlived their parent")
        let finish = try SPOProcess.run(["run", config.path, "--results", parallel.path, "--jobs", "2"], in: directory)
        #expect(finish.status == 0, "\(finish.log)")
        #expect(try results(parallel) == expected)
    }

    @Test(
        "a run that fails is recorded with its error, the others still run, and spo status and the exit status say so")
    func failedRun() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let root = directory.appendingPathComponent("results")
        let runs = try ExperimentConfiguration.load(path: config.path).runs
        // A damaged checkpoint makes the first run fail.
        let damaged = RunFiles(root: root, run: runs[0])
        try FileManager.default.createDirectory(at: damaged.directory, withIntermediateDirectories: true)
        try Data("{not json".utf8).write(to: damaged.checkpoint)
        let result = try SPOProcess.run(["run", config.path, "--results", root.path], in: directory)
        #expect(result.status == 1)
        #expect(
            result.log.contains("FAILED \(runs[0].id)") && result.log.contains("unreadable checkpoint"), "\(result.log)"
        )
        guard case let .failed(message) = RunState.of(damaged) else {
            Issue.record("the failed run is not recorded as failed")
            return
        }
        #expect(message.contains("checkpoint.json") && message.contains("delete it to restart the run"))
        #expect(RunFiles(root: root, run: runs[1]).isFinished)
        // Deleting the checkpoint as the message says lets a rerun finish it.
        try FileManager.default.removeItem(at: damaged.checkpoint)
        let rerun = try SPOProcess.run(["run", config.path, "--results", root.path], in: directory)
        #expect(rerun.status == 0 && damaged.isFinished)
        #expect(!FileManager.default.fileExists(atPath: damaged.failure.path))
    }

    @Test("an invalid configuration exits 2 naming file, line and field, and writes nothing")
    func invalidConfigurationWritesNothing() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let bad = directory.appendingPathComponent("bad.yaml")
        try "name: bad\ntasks: [Hopper-v4]\nalgorithms: [spo]\nseeds: [1]\nhyperparameters: {minibatches: 0}\n".write(
            to: bad, atomically: true, encoding: .utf8)
        let root = directory.appendingPathComponent("results")
        let result = try SPOProcess.run(["run", bad.path, "--results", root.path], in: directory)
        #expect(result.status == 2)
        #expect(
            result.log.contains("\(bad.path):5:31: hyperparameters.minibatches: must be at least 1, got 0")
                || result.log.contains("hyperparameters.minibatches: minibatches must be at least 1, got 0"),
            "\(result.log)")
        #expect(!FileManager.default.fileExists(atPath: root.path))
        let missing = try SPOProcess.run(
            ["run", directory.appendingPathComponent("none.json").path, "--results", root.path], in: directory)
        #expect(missing.status == 2 && missing.log.contains("no such configuration file"))
    }

    @Test("shards in parallel, a killed and restarted shard, and an overlapping duplicate cover every run exactly once")
    func shards() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let sharded = directory.appendingPathComponent("sharded.json")
        try """
        {"name": "shards", "tasks": ["Hopper-v4"], "algorithms": ["spo", "ppo"], "seeds": [1, 2, 3],
         "totalSteps": 768, "hyperparameters": {"environments": 4, "horizon": 64, "epochs": 1, "workers": 1},
         "evaluation": {"episodes": 1}, "checkpointEvery": 1}
        """.write(to: sharded, atomically: true, encoding: .utf8)
        let root = directory.appendingPathComponent("results")
        let configuration = try ExperimentConfiguration.load(path: sharded.path)
        let logs = (0..<4).map { directory.appendingPathComponent("shard-\($0).txt") }
        // Shards 0/2 and 1/2 in parallel, plus a second copy of shard 1/2 (a requeued job overlapping the first).
        var processes = [
            try SPOProcess.start(["run", sharded.path, "--results", root.path, "--shard", "0/2"], log: logs[0]),
            try SPOProcess.start(["run", sharded.path, "--results", root.path, "--shard", "1/2"], log: logs[1]),
            try SPOProcess.start(["run", sharded.path, "--results", root.path, "--shard", "1/2"], log: logs[2]),
        ]
        // Kill shard 0 in its first run, then restart it.
        let firstOfShard0 = RunFiles(root: root, run: configuration.runs[0])
        _ = SPOProcess.wait { SPOProcess.lineCount(firstOfShard0.updates) >= 2 || !processes[0].isRunning }
        kill(processes[0].processIdentifier, SIGKILL)
        processes[0].waitUntilExit()
        processes[0] = try SPOProcess.start(
            ["run", sharded.path, "--results", root.path, "--shard", "0/2"], log: logs[3])
        for process in processes { process.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })

        let text = try logs.map { try String(contentsOf: $0, encoding: .utf8) }
        for (index, run) in configuration.runs.enumerated() {
            #expect(RunFiles(root: root, run: run).isFinished, "\(run.id) not finished")
            let starts = text.joined().components(separatedBy: "start  \(run.id)").count - 1
            let finishes = text.joined().components(separatedBy: "done   \(run.id)").count - 1
            #expect(finishes == 1, "\(run.id) finished \(finishes) times")
            // Only the killed run may have been started again (as a resume).
            #expect(starts == 1 || (index == 0 && starts == 2), "\(run.id) started \(starts) times")
            // Each shard ran only its own runs.
            let shardLogs = index % 2 == 0 ? [text[0], text[3]] : [text[1], text[2]]
            #expect(shardLogs.joined().contains(run.id))
        }
        let status = try SPOProcess.run(["status", sharded.path, "--results", root.path], in: directory)
        #expect(status.status == 0)
    }
}
