import ArgumentParser
import Experiments
import Foundation

// The options themselves (`ExperimentOptions`) are declared in RunCommand.swift.
extension ExperimentOptions {
    /// The experiment's results, naming the runs still missing; exits 1 when none has finished.
    func finishedResults() throws -> ExperimentResults {
        let configuration = try load()
        let results = ExperimentResults(configuration: configuration, root: root)
        printError(results.missingNote, terminator: "")
        guard results.groups.contains(where: { !$0.summaries.isEmpty }) else {
            printError(
                "error: no run of \(configuration.name) has finished under \(root.path); run `spo run \(config)` first")
            throw ExitCode(1)
        }
        return results
    }
}
