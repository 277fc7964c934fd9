import ArgumentParser
import Environments
import Foundation

/// `spo conformance PATH`: replays recorded Gymnasium episodes and compares bit for bit.
struct Conformance: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay recorded Gymnasium-v4 episodes and compare every value bit for bit.",
        discussion: """
            PATH is one case file or a directory of them (schema version 1, as in the reference \
            cases; a manifest.json is skipped). Prints, per task and episode, the steps compared \
            and the largest absolute deviation of observations, rewards and info values. Exit \
            status: 0 when everything is equal, 1 when anything differs, 2 on unreadable input.
            """
    )

    @Argument(help: "A case file or a directory of case files.")
    var path: String

    func run() throws {
        let files: [URL]
        do {
            files = try caseFiles(at: path)
        } catch {
            printError("error: \(error)")
            throw ExitCode(2)
        }
        var loaded: [(URL, ConformanceCaseFile)] = []
        for file in files {
            do {
                let cases = try ConformanceCaseFile.load(from: file)
                guard EnvironmentRegistry.ids.contains(cases.envId) else {
                    throw EnvironmentError.unknownTask(id: cases.envId, valid: EnvironmentRegistry.ids)
                }
                loaded.append((file, cases))
            } catch let error as DecodingError {
                printError("error: \(file.path): not a conformance case file: \(describe(error))")
                throw ExitCode(2)
            } catch {
                printError("error: \(file.path): \(error)")
                throw ExitCode(2)
            }
        }
        print(
            "| task | episode | steps | max abs dev obs | max abs dev reward | max abs dev info | mismatches | result |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        var allExact = true
        var totalSteps = 0
        for (file, cases) in loaded {
            let comparisons: [EpisodeComparison]
            do {
                comparisons = try ConformanceReplay.replay(cases)
            } catch {
                printError("error: \(file.path): \(error)")
                throw ExitCode(2)
            }
            for c in comparisons {
                allExact = allExact && c.isExact
                totalSteps += c.stepsCompared
                print(
                    "| \(c.task) | \(c.episode) | \(c.stepsCompared) | \(c.maxObservationDeviation) "
                        + "| \(c.maxRewardDeviation) | \(c.maxInfoDeviation) | \(c.mismatches) "
                        + "| \(c.isExact ? "exact" : "DIFFERS") |"
                )
                if let first = c.firstMismatch { printError("\(c.task) \(c.episode): first mismatch at \(first)") }
            }
        }
        let episodes = loaded.reduce(0) { $0 + $1.1.episodes.count }
        print(
            "\(episodes) episodes, \(totalSteps) steps from \(loaded.count) files: "
                + "\(allExact ? "all bit-identical" : "DIFFERENCES FOUND")"
        )
        if !allExact { throw ExitCode(1) }
    }

    /// The case files at `path`: the file itself, or the directory's `.json` files except `manifest.json`.
    private func caseFiles(at path: String) throws -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConformanceError.unreadable(path: path, reason: "no such file or directory")
        }
        let url = URL(fileURLWithPath: path)
        guard isDirectory.boolValue else { return [url] }
        let files = try FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" && $0.lastPathComponent != "manifest.json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        guard !files.isEmpty else {
            throw ConformanceError.unreadable(path: path, reason: "directory has no .json case files")
        }
        return files
    }

    private func describe(_ error: DecodingError) -> String {
        func location(_ path: [CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(
                in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case let .keyNotFound(key, context):
            return "missing key '\(key.stringValue)' at '\(location(context.codingPath))'"
        case let .typeMismatch(_, context), let .valueNotFound(_, context):
            return "wrong type at '\(location(context.codingPath))': \(context.debugDescription)"
        case let .dataCorrupted(context):
            return
                "malformed JSON\(context.codingPath.isEmpty ? "" : " at '\(location(context.codingPath))'"): "
                + "\(context.underlyingError.map { "\($0)" } ?? context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
