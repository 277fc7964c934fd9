import ArgumentParser
import Experiments
import Foundation

/// `spo run`: every unfinished run of an experiment, resumable and shareable between processes.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run an experiment's unfinished runs (resuming checkpointed ones).",
        discussion: """
            Each run writes run.json, updates.csv, episodes.csv, a TensorBoard event file, checkpoint.json \
            (every checkpointEvery updates and on SIGINT/SIGTERM), agent.json and, last, summary.json, which \
            marks it finished. Rerunning the same command resumes where it stopped, bit-identically, after \
            Ctrl-C, SIGTERM or kill -9. Runs are claimed with a lock in their directory, so any number of \
            processes (--jobs, shards, requeued cluster jobs) can share one experiment. Exit status: 0 when \
            every run of the shard is finished (or running elsewhere), 1 when some failed, 130/143 when \
            stopped by SIGINT/SIGTERM, 2 for an invalid configuration.
            """
    )
    @OptionGroup var experiment: ExperimentOptions
    @Option(name: .long, help: "Runs in parallel, each in its own process.") var jobs = 1
    @Option(name: .long, help: "Only the runs of shard I of N (0 ≤ I < N): run k belongs to shard k mod N.")
    var shard: String?
    @Option(
        name: .long,
        help: """
            Threads of each run at most (fewer if its settings say so): its environment workers, up to 2 of them \
            also its update's (default: cores / jobs, at least 1, so that jobs × workers fit the cores).
            """
    ) var workers: Int?
    @Option(name: .long, help: "Seconds between progress lines when not on a terminal.") var logEvery = 30.0
    @Option(name: .long, help: .hidden) var report: String?

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
        if let shard, Shard(shard) == nil {
            throw ValidationError("--shard must be I/N with 0 ≤ I < N, got '\(shard)'")
        }
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1, got \(workers)") }
        if let report, report != "json" { throw ValidationError("--report must be json") }
    }

    func run() throws {
        let configuration = try experiment.load()
        let shard = self.shard.flatMap(Shard.init) ?? .all
        StopSignal.install()
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let workers = self.workers ?? ExperimentRunner.workersPerRun(jobs: jobs, cores: cores)
        let runner = ExperimentRunner(
            configuration: configuration, root: experiment.root, shard: shard, workers: workers)

        if report == "json" {
            // A worker of a parallel run: events as JSON lines on standard output.
            guard bindToParentProcess() else { throw ExitCode(1) }
            let encoder = JSONEncoder.sorted
            let tally = runner.run { event in
                if let data = try? encoder.encode(event) { FileHandle.standardOutput.write(data + Data("\n".utf8)) }
            }
            throw ExitCode(Self.status(tally))
        }

        let runs = runner.runs
        let done = runs.filter { RunFiles(root: experiment.root, run: $0).isFinished }.count
        printError(
            "[run] \(configuration.name): \(runs.count) runs\(shard == .all ? "" : " in shard \(shard)"), "
                + "\(done) already finished, \(jobs) job\(jobs == 1 ? "" : "s") "
                + "× \(workers) worker\(workers == 1 ? "" : "s") "
                + "→ \(experiment.root.appendingPathComponent(configuration.name).path)"
        )
        if jobs * workers > cores {
            printError(
                "[run] note: \(jobs) jobs × \(workers) workers exceed the \(cores) cores; runs will compete for them")
        }
        let progress = ProgressReporter(total: runs.count, alreadyFinished: done, logInterval: logEvery)
        let status: Int32
        if jobs == 1 {
            status = Self.status(runner.run(report: progress.handle))
        } else {
            var arguments = [
                "run", experiment.config, "--results", experiment.results, "--jobs", "1", "--report", "json",
            ]
            if let shard = self.shard { arguments += ["--shard", shard] }
            for override in experiment.overrides { arguments += ["--set", override] }
            arguments += ["--workers", "\(workers)"]
            let statuses = try ParallelRunner(executable: Self.executable, workerArguments: arguments, jobs: jobs).run(
                report: progress.handle)
            status = statuses.contains { $0 == 1 } ? 1 : (statuses.first { $0 != 0 } ?? 0)
        }
        progress.finish()
        let finished = runs.filter { RunFiles(root: experiment.root, run: $0).isFinished }.count
        printError("[run] \(finished)/\(runs.count) finished" + (status == 0 ? "" : " (exit \(status))"))
        throw ExitCode(status)
    }

    static func status(_ tally: ExperimentRunner.Tally) -> Int32 {
        if let signal = tally.interruptedBy { return 128 + signal }
        return tally.failed > 0 ? 1 : 0
    }

    /// This executable (for worker processes).
    static var executable: URL {
        URL(
            fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                ?? CommandLine.arguments[0])
    }
}
