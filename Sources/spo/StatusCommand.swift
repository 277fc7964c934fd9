import ArgumentParser
import Experiments
import Foundation

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
