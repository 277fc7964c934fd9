import ArgumentParser
import Experiments
import Foundation

/// `spo archive`: a small copy of an experiment's finished runs that can be committed.
struct Archive: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy an experiment's finished runs into a small archive that spo table and spo plot read.",
        discussion: """
            Writes <out>/<experiment>/<run-id>/ for every finished run: run.json and summary.json as they are, \
            updates.csv and episodes.csv reduced to at most \(ResultsArchive.windows) rows (the mean of each \
            of \(ResultsArchive.windows) equal windows of environment steps, at the window's centre, timing \
            columns dropped), and <out>/random-baselines.json from the results root. No checkpoint, agent or \
            event file. Rerunning it adds the runs finished since and leaves the others' bytes unchanged. \
            spo table, spo plot and --aggregate with --results <out> work on the archive: the same tables, \
            figures from the reduced curves.
            """
    )
    @OptionGroup var experiment: ExperimentOptions
    @Option(name: .long, help: "Archive root (not the results root); runs go to <out>/<experiment>/<run-id>/.")
    var out: String

    func run() throws {
        let configuration = try experiment.load()
        let destination = URL(fileURLWithPath: out)
        let archived: [ResultsArchive.ArchivedRun]
        do {
            archived = try ResultsArchive.write(configuration, from: experiment.root, to: destination) { run in
                let kilobytes = String(format: "%.1f", Double(run.bytes) / 1000)
                print(
                    "archived \(run.id): \(run.updateRows) update rows, "
                        + "\(run.episodeRows) episode rows, \(kilobytes) kB"
                )
            }
        } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
        let unfinished = configuration.runs.count - archived.count
        print(
            "\(configuration.name): \(archived.count) of \(configuration.runs.count) runs archived to "
                + destination.appendingPathComponent(configuration.name).path
                + (unfinished == 0 ? "" : " (\(unfinished) not finished)"))
        guard !archived.isEmpty else {
            printError("error: no run of \(configuration.name) has finished under \(experiment.root.path)")
            throw ExitCode(1)
        }
    }
}
