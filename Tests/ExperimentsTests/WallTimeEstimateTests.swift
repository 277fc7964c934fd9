import Foundation
import Learning
import Testing

@testable import Experiments

@Suite("spo estimate and the core budget", .serialized)
struct WallTimeEstimateTests {
    let directory: URL
    let config: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("estimate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        config = directory.appendingPathComponent("budget.yaml")
        // Default workers (8): what each run gets is up to the command's budget.
        try """
        name: budget
        tasks: [Hopper-v4, Walker2d-v4]
        algorithms: [spo]
        seeds: [1, 2]
        totalSteps: 3072          # 12 updates of 4 x 64 steps
        hyperparameters: {environments: 4, horizon: 64, epochs: 2}
        evaluation: {episodes: 2}
        checkpointEvery: 3
        """.write(to: config, atomically: true, encoding: .utf8)
    }

    @Test("list scheduling: each job takes the next run in order as soon as it is free")
    func scheduling() {
        #expect(listScheduleSeconds([3, 1, 1, 1], jobs: 1) == 6)
        #expect(listScheduleSeconds([3, 1, 1, 1], jobs: 2) == 3)
        #expect(listScheduleSeconds([1, 1, 1, 3], jobs: 2) == 4)  // in order, not longest first
        #expect(listScheduleSeconds([2, 2], jobs: 4) == 2)
        #expect(listScheduleSeconds([], jobs: 2) == 0)
    }

    @Test("workers per run: cores / jobs, at least 1; the Slurm script shares a task's CPUs the same way")
    func coreBudget() {
        #expect(ExperimentRunner.workersPerRun(jobs: 1, cores: 2) == 2)
        #expect(ExperimentRunner.workersPerRun(jobs: 2, cores: 2) == 1)
        #expect(ExperimentRunner.workersPerRun(jobs: 3, cores: 8) == 2)
        #expect(ExperimentRunner.workersPerRun(jobs: 4, cores: 2) == 1)
        var script = SlurmScript(
            jobName: "spo-x", shards: 2, executable: "/bin/spo", configuration: "/x.json", results: "/r",
            workingDirectory: "/", logDirectory: "/r/slurm")
        script.jobsPerTask = 2
        script.cpusPerTask = 4
        #expect(script.text.contains("--jobs 2 --workers 2 "))
        script.cpusPerTask = 2
        #expect(script.text.contains("--cpus-per-task=2") && script.text.contains("--jobs 2 --workers 1 "))
    }

    @Test("checkpoints left: every checkpointEvery updates and after the last")
    func checkpointsLeft() throws {
        let run = try ExperimentConfiguration.load(path: config.path).runs[0]
        func remaining(_ updates: Int) -> RemainingRun {
            RemainingRun(
                run: run, updates: updates, isFinished: false, resumes: updates < 12, isRunningElsewhere: false)
        }
        #expect(remaining(12).checkpoints == 4)  // 3, 6, 9, 12
        #expect(remaining(7).checkpoints == 3)  // from update 5: 6, 9, 12
        var odd = run
        odd.training.totalSteps = 2560  // 10 updates: 3, 6, 9 and 10
        #expect(
            RemainingRun(run: odd, updates: 10, isFinished: false, resumes: false, isRunningElsewhere: false)
                .checkpoints == 4)
    }

    @Test("the estimate counts nothing for finished runs and only the remaining updates of a checkpointed one")
    func remainingWork() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let root = directory.appendingPathComponent("results")
        let configuration = try ExperimentConfiguration.load(path: config.path)
        let runs = configuration.runs
        // Hopper seed 1 finished; Hopper seed 2 stopped with a checkpoint after 5 updates.
        #expect(try RunExecutor(run: runs[0], files: RunFiles(root: root, run: runs[0])).execute { _ in } == .finished)
        var updates = 0
        let stopped = try RunExecutor(run: runs[1], files: RunFiles(root: root, run: runs[1])).execute(shouldStop: {
            updates += 1
            return updates == 5
        }) { _ in }
        #expect(stopped == .interrupted)
        #expect(RemainingRun.of(runs[1], root: root).updates == 7 && RemainingRun.of(runs[1], root: root).resumes)

        var estimator = WallTimeEstimator(configuration: configuration, root: root, jobs: 2, workers: 1)
        estimator.secondsPerCell = 0.1
        var lines: [String] = []
        let estimate = try estimator.estimate { lines.append($0) }
        #expect(lines.count == 2, "one measured kind per task")
        #expect(estimate.runs == 4 && estimate.finishedRuns == 1 && estimate.jobs == 2 && estimate.workers == 1)
        let hopper = try #require(estimate.cells.first { $0.task == "Hopper-v4" })
        #expect(hopper.runs == 1 && hopper.finishedRuns == 1)
        #expect(hopper.remainingUpdates == 7 && hopper.remainingSteps == 7 * 256)
        let walker = try #require(estimate.cells.first { $0.task == "Walker2d-v4" })
        #expect(walker.runs == 2 && walker.remainingSteps == 2 * 12 * 256)
        #expect(estimate.remainingSteps == (7 + 24) * 256)
        for cell in estimate.cells {
            let speed = try #require(cell.stepsPerSecond)
            #expect(speed > 0 && cell.timedUpdates >= 2 && cell.seconds > 0)
            // Some of the core time is physics, and never more than all of it.
            #expect(cell.physicsShare > 0 && cell.physicsShare <= 1)
            #expect(
                cell.secondsPerUpdateMin! <= cell.secondsPerUpdate!
                    && cell.secondsPerUpdate! <= cell.secondsPerUpdateMax!)
        }
        #expect(estimate.totalSecondsLow <= estimate.totalSeconds && estimate.totalSeconds <= estimate.totalSecondsHigh)
        #expect(estimate.physicsShare > 0 && estimate.physicsShare <= 1)
        // Two jobs: the wall time is at most the runs' total and at least the longest run's share.
        let work = estimate.cells.reduce(0) { $0 + $1.seconds }
        #expect(estimate.totalSeconds <= work && estimate.totalSeconds >= work / 3)

        // The command's JSON.
        let output = directory.appendingPathComponent("estimate.json")
        let process = Process()
        process.executableURL = SPOProcess.executable
        process.arguments = [
            "estimate", config.path, "--results", root.path, "--jobs", "2", "--json", "--seconds-per-cell", "0.1",
        ]
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [String: Any])
        #expect((object["total_seconds"] as? Double).map { $0 > 0 } == true)
        #expect((object["physics_share"] as? Double).map { $0 > 0 && $0 <= 1 } == true)
        let cells = try #require(object["cells"] as? [[String: Any]])
        #expect(
            cells.count == 2
                && cells.allSatisfy {
                    ($0["steps_per_second"] as? Double).map { $0 > 0 } == true && $0["remaining_steps"] is Int
                })
    }

    @Test(
        """
        spo run gives byte-identical results with 1 job of 1 worker, 1 job of all cores, \
        and 2 jobs of 1 and of 2 workers
        """
    )
    func identicalWhateverTheJobs() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        var results: [[String: String]] = []
        for (name, arguments) in [
            ("one", ["--jobs", "1", "--workers", "1"]), ("cores", ["--jobs", "1"]), ("two", ["--jobs", "2"]),
            ("two-wide", ["--jobs", "2", "--workers", "2"]),
        ] {
            let root = directory.appendingPathComponent(name)
            let run = try SPOProcess.run(["run", config.path, "--results", root.path] + arguments, in: directory)
            #expect(run.status == 0, "\(run.log)")
            results.append(try contents(root))
        }
        #expect(results[0].count == 4 * 4)
        for other in results.dropFirst() {
            for key in results[0].keys.sorted() { #expect(other[key] == results[0][key], "\(key) differs") }
        }
    }

    /// Each run's files with timing left out: updates.csv without its timing columns, episodes.csv,
    /// agent.json, and summary.json without `timing`.
    func contents(_ root: URL) throws -> [String: String] {
        var contents: [String: String] = [:]
        for run in try ExperimentConfiguration.load(path: config.path).runs {
            let files = RunFiles(root: root, run: run)
            let timing = Set(UpdateMetrics.timingColumns)
            let rows = try String(contentsOf: files.updates, encoding: .utf8).split(separator: "\n").map {
                $0.split(separator: ",", omittingEmptySubsequences: false)
            }
            let keep = rows[0].indices.filter { !timing.contains(String(rows[0][$0])) }
            contents["\(run.id)/updates.csv"] = rows.map { row in keep.map { String(row[$0]) }.joined(separator: ",") }
                .joined(separator: "\n")
            contents["\(run.id)/episodes.csv"] = try String(contentsOf: files.episodes, encoding: .utf8)
            contents["\(run.id)/agent.json"] = try String(contentsOf: files.agent, encoding: .utf8)
            var summary =
                try JSONSerialization.jsonObject(with: Data(contentsOf: files.summary)) as? [String: Any] ?? [:]
            summary["timing"] = nil
            contents["\(run.id)/summary.json"] = String(
                decoding: try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys]), as: UTF8.self)
        }
        return contents
    }
}
