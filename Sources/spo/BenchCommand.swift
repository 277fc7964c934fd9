import ArgumentParser
import Environments
import Foundation
import Learning
import MuJoCo
import Rendering

/// `spo bench`: throughput measurements.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure throughput.",
        subcommands: [Envs.self, Update.self, RenderBench.self]
    )

    /// `spo bench update`: the learner's update time on synthetic data.
    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: """
                Time one learner update of an algorithm on a 2048-sample batch \
                (first-order ones: 10 epochs × 4 minibatches).
                """
        )
        @Option(name: .long, help: "Task whose observation and action sizes are used.") var task = "Hopper-v4"
        @Option(name: .long, help: "Algorithm (\(Algorithms.names.joined(separator: ", "))).") var algo = "spo"
        @Option(name: .long, help: "Actor depth: 3 or 7.") var actorLayers = 3
        @Option(name: .long, help: "Update workers (1: one thread; the trainer uses up to 2).") var workers = 2
        @Option(name: .long, help: "Timed updates; the fastest counts.") var repeats = 3

        func validate() throws {
            guard repeats > 0 else { throw ValidationError("--repeats must be at least 1, got \(repeats)") }
            guard workers > 0 else { throw ValidationError("--workers must be at least 1, got \(workers)") }
        }

        func run() throws {
            let environment = try EnvironmentRegistry.make(task)
            var configuration = TrainingConfiguration()
            configuration.task = task
            guard Algorithms.names.contains(algo) else {
                throw ValidationError("unknown algorithm '\(algo)'; known: \(Algorithms.names.joined(separator: ", "))")
            }
            configuration.algorithm = algo
            guard let hidden = TrainingConfiguration.actorHidden(layers: actorLayers) else {
                throw ValidationError("--actor-layers must be 3 or 7")
            }
            configuration.actorHidden = hidden
            let timing = try measureUpdate(
                configuration: configuration, observationSize: environment.spec.observationSize,
                actionSize: environment.spec.actionSize, workers: workers, repeats: repeats)
            print(
                String(
                    format:
                        "%@ %@ actor %@, %d update workers: one update of %d samples %.1f ms; "
                        + "actor forward %.3f ms, backward %.3f ms per %d-sample minibatch",
                    task, algo, hidden.map(String.init).joined(separator: "-"), workers, configuration.batchSize,
                    timing.updateSeconds * 1e3,
                    timing.actorForwardSeconds * 1e3, timing.actorBackwardSeconds * 1e3, configuration.minibatchSize))
        }
    }

    /// `spo bench envs`: environment steps per second against the raw MuJoCo loop.
    struct Envs: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Environment steps per second: raw MuJoCo loop, full task step and 8 vectorised environments, per task."
        )

        @Option(name: .long, help: "Tasks to measure (repeatable); all six by default.")
        var task: [String] = []

        @Option(name: .long, help: "Target seconds of one timed pass.")
        var seconds: Double = 1.0

        @Option(name: .long, help: "Timed passes of each kind; the fastest counts.")
        var repeats: Int = 3

        @Option(name: .long, help: "Environments of the vectorised measurement.")
        var envs: Int = 8

        @Option(name: .long, help: "Workers of the vectorised measurement (capped at the core count).")
        var workers: Int = 8

        @Flag(name: .long, help: "Print a JSON array with one object per task instead of a table.")
        var json = false

        @OptionGroup var taskOptions: TaskOptionArguments

        func validate() throws {
            for id in task where !EnvironmentRegistry.ids.contains(id) {
                throw ValidationError(
                    "unknown task '\(id)'; valid tasks: \(EnvironmentRegistry.ids.joined(separator: ", "))")
            }
            guard seconds > 0 else { throw ValidationError("--seconds must be positive, got \(seconds)") }
            guard repeats > 0 else { throw ValidationError("--repeats must be at least 1, got \(repeats)") }
            guard envs > 0 else { throw ValidationError("--envs must be at least 1, got \(envs)") }
            guard workers > 0 else { throw ValidationError("--workers must be at least 1, got \(workers)") }
            for id in task.isEmpty ? EnvironmentRegistry.ids : task { _ = try taskOptions.options(for: id) }
        }

        func run() throws {
            var benchmark = EnvironmentBenchmark()
            benchmark.secondsPerPass = seconds
            benchmark.repeats = repeats
            benchmark.vectorEnvironments = envs
            benchmark.vectorWorkers = workers
            let tasks = task.isEmpty ? EnvironmentRegistry.ids : task
            var results: [EnvironmentThroughput] = []
            for id in tasks {
                results.append(
                    try benchmark.measure(task: id, options: taskOptions.options(for: id)) {
                        printError("[bench] \($0)")
                    })
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(results), as: UTF8.self))
                return
            }
            let cores = ProcessInfo.processInfo.activeProcessorCount
            print("Measured \(MuJoCoLibrary.loaded)")
            print("Environment steps per second (\(cores) cores; raw and env on one core, same actions and resets)")
            print(row(["task", "raw", "env", "env/raw", "vector", "vector/raw"]))
            print(row(Array(repeating: "---", count: 6)))
            for r in results {
                print(
                    row([
                        r.task, format(r.rawStepsPerSecond), format(r.environmentStepsPerSecond),
                        String(format: "%.3f", r.ratio),
                        "\(format(r.vectorStepsPerSecond)) (\(r.vectorEnvironments) envs, \(r.vectorWorkers) workers)",
                        String(format: "%.2f", r.vectorOverRaw),
                    ]))
            }
        }

        private func row(_ cells: [String]) -> String { "| " + cells.joined(separator: " | ") + " |" }
        private func format(_ rate: Double) -> String { String(format: "%.0f", rate) }
    }
}
