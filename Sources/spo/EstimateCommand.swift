import ArgumentParser
import Experiments
import Foundation

/// `spo estimate`: the projected wall time of an experiment's unfinished runs on this machine.
struct Estimate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Project the wall time of an experiment's unfinished runs on this machine.",
        discussion: """
            Times a short slice of each kind of run left (task × algorithm × network; seeds share it) with \
            the real trainer and environments and the run's settings, in a temporary directory: one warm-up \
            update, then updates for --seconds-per-cell, as many copies at once as --jobs would run, each \
            with the workers a job gets. Finished runs cost nothing; a run with a checkpoint costs its \
            remaining updates. Each run adds its start, checkpoints, agent save and evaluation (counted at \
            full-length episodes). The runs are then scheduled in order onto the jobs as spo run --jobs does.
            """
    )
    @OptionGroup var experiment: ExperimentOptions
    @Option(name: .long, help: "Runs in parallel, as spo run --jobs.") var jobs = 1
    @Option(name: .long, help: "Threads of each run at most, as spo run --workers (default: cores / jobs, at least 1).")
    var workers: Int?
    @Option(name: .long, help: "Seconds of timed updates per kind of run (after a warm-up update; at least 2 updates).")
    var secondsPerCell = 2.0
    @Flag(
        name: .long,
        help: """
            Print a JSON object (total_seconds, and per cell steps_per_second, runs, remaining_steps, \
            seconds, …).
            """
    )
    var json = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1, got \(workers)") }
        guard secondsPerCell > 0 else {
            throw ValidationError("--seconds-per-cell must be positive, got \(secondsPerCell)")
        }
    }

    func run() throws {
        let configuration = try experiment.load()
        var estimator = WallTimeEstimator(
            configuration: configuration, root: experiment.root, jobs: jobs,
            workers: workers ?? ExperimentRunner.workersPerRun(jobs: jobs))
        estimator.secondsPerCell = secondsPerCell
        let estimate = try estimator.estimate { printError("[estimate] \($0)") }
        if json {
            let encoder = JSONEncoder.pretty
            encoder.keyEncodingStrategy = .convertToSnakeCase
            print(String(decoding: try encoder.encode(estimate), as: UTF8.self))
        } else {
            print(Self.report(estimate), terminator: "")
        }
    }

    /// The human report: a table per kind of run, the total and its uncertainty.
    static func report(_ e: WallTimeEstimate) -> String {
        var lines = [
            "\(e.experiment): \(e.runs) runs, \(e.finishedRuns) finished, \(e.runs - e.finishedRuns) to run "
                + "(\(grouped(e.remainingSteps)) steps)"
                + (e.runningElsewhere > 0
                    ? ", \(e.runningElsewhere) of them running elsewhere now (counted as if this sweep ran them)" : ""),
            "\(e.jobs) job\(e.jobs == 1 ? "" : "s") × \(e.workers) worker\(e.workers == 1 ? "" : "s") "
                + "on \(e.cores) cores; "
                + String(format: "load average %.2f before measuring, %.2f after", e.loadAverage[0], e.loadAverage[1]),
            "",
            "| task | algorithm | network | runs left | steps left | steps/s per run | s per update (min–max) "
                + "| episode length | MuJoCo | per run fixed | time (its runs summed) |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for c in e.cells {
            let speed = c.stepsPerSecond.map { String(format: "%.0f", $0) } ?? "—"
            let update =
                c.secondsPerUpdate.map {
                    String(format: "%.3f (%.3f–%.3f)", $0, c.secondsPerUpdateMin!, c.secondsPerUpdateMax!)
                } ?? "—"
            let length =
                c.meanEpisodeLength.map { String(format: "%.0f", $0) }
                ?? (c.stepsPerSecond == nil ? "—" : "none ended")
            let physics = c.stepsPerSecond == nil ? "—" : String(format: "%.0f%%", 100 * c.physicsShare)
            let fixed = c.runs > 0 ? String(format: "%.1f s", c.overheadSecondsPerRun) : "—"
            lines.append(
                "| \(c.task) | \(c.algorithm) | \(c.network) | \(c.runs) | \(grouped(c.remainingSteps)) | \(speed) "
                    + "| \(update) | \(length) | \(physics) | \(fixed) | \(duration(c.seconds)) |"
            )
        }
        lines += [
            "",
            "Total: \(duration(e.totalSeconds)) wall time with \(e.jobs) job\(e.jobs == 1 ? "" : "s") "
                + "(runs scheduled in order, each job taking the next)",
            "Of it, MuJoCo's own computation: about \(duration(e.physicsShare * e.totalSeconds)) "
                + String(format: "(%.0f%% of the timed updates' core time, the MuJoCo column); ", 100 * e.physicsShare)
                + "only a faster MuJoCo (scripts/setup --fast-mujoco) or more cores shorten it",
            "Uncertainty:",
            "- timed updates: \(duration(e.totalSecondsLow)) if every update ran as fast as its kind's "
                + "fastest timed one, \(duration(e.totalSecondsHigh)) as its slowest",
            String(
                format:
                    "- early updates: the slices are a run's first updates, whose rollouts (%.0f%% of their time) "
                    + "run short episodes of falls and resets (resets %.1f%%); a trained agent's steps cost "
                    + "a different amount (less on Hopper), so long runs may take less than projected",
                100 * e.rolloutShare, 100 * e.resetShare),
            "- per run: start, agent save, a checkpoint every checkpointEvery updates and the evaluation, "
                + "counted at \(e.evaluationEpisodeSteps)-step episodes (an upper bound)"
                + (e.videosExcluded ? "; evaluation videos are not included" : ""),
            "- the machine's load: other processes' share of the cores is in the timings (load average above); "
                + "parallel runs were timed \(Swift.min(e.jobs, Swift.max(1, e.runs - e.finishedRuns))) at once",
            String(format: "Measured in %.0f s.", e.measuringSeconds),
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Seconds as `1 h 23 min`, `4 min 05 s` or `12.3 s`.
    static func duration(_ seconds: Double) -> String {
        if seconds >= 3600 {
            return String(
                format: "%.0f h %02.0f min (%.2f h)", (seconds / 3600).rounded(.down),
                (seconds.truncatingRemainder(dividingBy: 3600) / 60).rounded(.down), seconds / 3600)
        }
        if seconds >= 60 {
            return String(
                format: "%.0f min %02.0f s", (seconds / 60).rounded(.down),
                seconds.truncatingRemainder(dividingBy: 60).rounded(.down))
        }
        return String(format: "%.1f s", seconds)
    }

    /// An integer with thousands separators.
    static func grouped(_ value: Int) -> String {
        let digits = String(value)
        return digits.enumerated().map { index, digit in
            (index > 0 && (digits.count - index) % 3 == 0 ? "," : "") + String(digit)
        }.joined()
    }
}
