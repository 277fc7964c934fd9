import ArgumentParser
import Experiments
import Foundation

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
