import Foundation
import Learning

/// A run's checkpoint: the trainer's full state and the sizes of the output files it matches.
public struct RunCheckpoint: Codable, Sendable {
    public var format = "spo-run-checkpoint"
    public var version = 1
    public var trainer: TrainerCheckpoint
    /// Bytes of updates.csv, episodes.csv and the event file at the checkpoint.
    public var fileSizes: [String: Int]

    /// Just enough to say how far a checkpoint got, without decoding the whole state.
    struct Header: Codable {
        struct Progress: Codable { var update: Int }
        var trainer: Progress
    }

    /// Decodes and checks a checkpoint's bytes; `path` names it in errors. Its configuration is
    /// checked (within ``Limits``) before the task is built to learn its sizes, then every field
    /// against the others (``TrainerCheckpoint/problems(observationSize:actionSize:)``) and the
    /// recorded file sizes.
    public static func decode(_ data: Data, path: String) throws -> RunCheckpoint {
        let checkpoint: RunCheckpoint
        do { checkpoint = try JSONDecoder.nonFinite.decode(RunCheckpoint.self, from: data) } catch {
            throw ExperimentError.io(
                path: path, reason: "unreadable checkpoint: \(SavedFile.describe(error)); delete it to restart the run")
        }
        var problems: [String] = []
        if checkpoint.format != "spo-run-checkpoint" || checkpoint.version != 1 {
            problems.append(
                "format \(checkpoint.format) version \(checkpoint.version) is not spo-run-checkpoint version 1")
        }
        problems += checkpoint.trainer.configuration.problems().map { "trainer.configuration: \($0)" }
        for name in ["updates.csv", "episodes.csv", "events"] {
            let size = checkpoint.fileSizes[name]
            if !(0...Limits.csvBytes).contains(size ?? -1) {
                problems.append(
                    "fileSizes.\(name): must be in [0, \(Limits.csvBytes)], got \(size.map(String.init) ?? "nothing")")
            }
        }
        if problems.isEmpty {
            do {
                let sizes = try checkpoint.trainer.configuration.taskSizes()
                problems += checkpoint.trainer.problems(
                    observationSize: sizes.observationSize, actionSize: sizes.actionSize
                ).map { "trainer.\($0)" }
            } catch {
                problems.append("trainer.configuration.task: \(error)")
            }
        }
        if let problem = problems.first {
            throw ExperimentError.io(path: path, reason: "invalid checkpoint: \(problem); delete it to restart the run")
        }
        return checkpoint
    }
}
