import ArgumentParser
import Experiments
import Foundation

/// Options shared by the commands that read an experiment: the configuration file and the
/// results root.
struct ExperimentOptions: ParsableArguments {
    @Argument(help: "An experiment configuration (.json, .yaml or .yml), e.g. experiments/quickstart.yaml.")
    var config: String
    @Option(name: .long, help: "Results root; runs go to <results>/<experiment>/<run-id>/.")
    var results = "results"
    @Option(
        name: .customLong("set"),
        help: ArgumentHelp(
            "Override a setting of the file for every run (repeatable): a top-level field (totalSteps=100000, "
                + "seeds=[1,2]) or a training setting as in hyperparameters or spo train's flags "
                + "(learningRate=1e-4, loss.entropyCoefficient=0.01). Checked as the file is.",
            valueName: "path=value"))
    var overrides: [String] = []

    func validate() throws {
        for text in overrides where ExperimentOverride(text) == nil {
            throw ValidationError("--set must be PATH=VALUE with a YAML value, got '\(text)'")
        }
    }

    /// The checked configuration; an invalid one prints every problem and exits 2.
    func load() throws -> ExperimentConfiguration {
        do {
            return try ExperimentConfiguration.load(
                path: config, overrides: overrides.compactMap(ExperimentOverride.init))
        } catch {
            printError("error: \(error)")
            throw ExitCode(2)
        }
    }

    var root: URL { URL(fileURLWithPath: results) }
}

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

/// `spo status`: the state of every run of an experiment.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show an experiment's finished, running, failed and pending runs.")
    @OptionGroup var experiment: ExperimentOptions
    @Flag(name: .long, help: "List every run, not only the unfinished ones.") var all = false

    func run() throws {
        let configuration = try experiment.load()
        var counts: [String: Int] = [:]
        for run in configuration.runs {
            let state = RunState.of(RunFiles(root: experiment.root, run: run))
            let (name, detail): (String, String)
            switch state {
            case .finished: (name, detail) = ("finished", "")
            case let .running(holder): (name, detail) = ("running", "on \(holder)")
            case let .failed(message): (name, detail) = ("failed", message)
            case let .diverged(message): (name, detail) = ("diverged", message)
            case let .pending(update):
                (name, detail) = (
                    "pending", update.map { "checkpoint at update \($0)/\(run.training.updates)" } ?? "not started"
                )
            }
            counts[name, default: 0] += 1
            if all || state != .finished {
                print("\(name.padding(toLength: 9, withPad: " ", startingAt: 0)) \(run.id)  \(detail)")
            }
        }
        let order = ["finished", "diverged", "running", "failed", "pending"]
        print(
            "\(configuration.name): \(configuration.runs.count) runs: "
                + order.map { "\(counts[$0, default: 0]) \($0)" }.joined(separator: ", "))
    }
}

/// `spo sweep --slurm`: a Slurm job array that runs an experiment on a cluster.
struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a Slurm batch script that runs an experiment as a job array over shards.",
        discussion: """
            Array task I runs `spo run CONFIG --shard I/N`. Submit the script with sbatch; resubmit it \
            (or requeue tasks) to resume unfinished runs. Paths in the script are absolute, so the \
            results root must be on a filesystem every node sees.
            """
    )
    @OptionGroup var experiment: ExperimentOptions
    @Flag(name: .long, help: "Write a Slurm batch script (the only scheduler supported).") var slurm = false
    @Option(name: .long, help: "Array tasks (shards); default: one per run.") var shards: Int?
    @Option(name: .long, help: "Runs in parallel within each array task (spo run --jobs).") var jobs = 1
    @Option(
        name: .long,
        help: "CPUs per array task, shared by its runs (each gets CPUs / jobs workers); default: 2 per job.")
    var cpusPerTask: Int?
    @Option(name: .long, help: "Memory per array task, e.g. 4G.") var mem = "4G"
    @Option(name: .long, help: "Time limit per array task, e.g. 24:00:00.") var time = "24:00:00"
    @Option(name: .long, help: "Slurm partition.") var partition: String?
    @Option(name: .long, help: "At most this many array tasks at once.") var maxConcurrent: Int?
    @Option(name: .long, help: "Seconds before the time limit at which Slurm sends SIGTERM (runs checkpoint and stop).")
    var signalLead = 120
    @Option(name: .long, help: "Script path; default: <results>/<experiment>/slurm/sweep.sbatch.") var output: String?

    func validate() throws {
        guard slurm else { throw ValidationError("give --slurm (the only scheduler supported)") }
        if let shards, shards < 1 { throw ValidationError("--shards must be at least 1, got \(shards)") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
        if let cpusPerTask, cpusPerTask < 1 {
            throw ValidationError("--cpus-per-task must be at least 1, got \(cpusPerTask)")
        }
        if let maxConcurrent, maxConcurrent < 1 {
            throw ValidationError("--max-concurrent must be at least 1, got \(maxConcurrent)")
        }
    }

    func run() throws {
        let configuration = try experiment.load()
        let absolute = { (path: String) in URL(fileURLWithPath: path).standardizedFileURL.path }
        let results = absolute(experiment.results)
        let experimentDirectory = URL(fileURLWithPath: results).appendingPathComponent(configuration.name)
        let logs = experimentDirectory.appendingPathComponent("slurm")
        var script = SlurmScript(
            jobName: "spo-\(configuration.name)",
            shards: min(shards ?? configuration.runs.count, configuration.runs.count),
            executable: Run.executable.path, configuration: absolute(experiment.config), results: results,
            workingDirectory: FileManager.default.currentDirectoryPath, logDirectory: logs.path)
        script.jobsPerTask = jobs
        script.cpusPerTask = cpusPerTask ?? 2 * jobs
        script.memory = mem
        script.timeLimit = time
        script.partition = partition
        script.concurrentTasks = maxConcurrent
        script.signalLeadSeconds = signalLead
        script.overrides = experiment.overrides
        let destination = output.map { URL(fileURLWithPath: $0) } ?? logs.appendingPathComponent("sweep.sbatch")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        try AtomicFile.write(script.text, to: destination)
        print(
            "wrote \(destination.path): \(configuration.runs.count) runs in \(script.shards) array tasks, "
                + "each \(jobs) job\(jobs == 1 ? "" : "s") "
                + "× \(script.workersPerRun) worker\(script.workersPerRun == 1 ? "" : "s") "
                + "on \(script.cpusPerTask) CPU\(script.cpusPerTask == 1 ? "" : "s")"
        )
        if jobs > script.cpusPerTask {
            printError("note: \(jobs) jobs share \(script.cpusPerTask) CPUs per task; runs will compete for them")
        }
        print("submit with: sbatch \(destination.path)")
    }
}
