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
