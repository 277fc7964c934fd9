import ArgumentParser
import Foundation
import Learning

/// `spo eval`: the deterministic (mean) policy of a saved agent.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a saved agent's mean policy with frozen observation statistics; prints mean ± std return."
    )
    @Argument(help: "An agent.json written by spo train.") var agent: String
    @Option(name: .long, help: "Episodes to run.") var episodes = 10
    @Option(name: .long, help: "Seed of the first episode (the next ones add 1).") var seed: UInt64 = 1_000_000

    func validate() throws {
        guard episodes > 0 else { throw ValidationError("--episodes must be at least 1, got \(episodes)") }
    }

    func run() throws {
        let saved: SavedAgent
        do { saved = try SavedAgent.read(from: URL(fileURLWithPath: agent)) } catch {
            printError("error: \(error)")
            throw ExitCode(2)
        }
        let result = try saved.evaluate(episodes: episodes, seed: seed) { episode, value in
            printError("[eval] episode \(episode)/\(episodes) return \(ReadableNumber.format(value, decimals: 1))")
        }
        print(
            "\(saved.configuration.task) \(saved.configuration.algorithm): mean return "
                + "\(ReadableNumber.format(result.mean, decimals: 1)) ± "
                + "\(ReadableNumber.format(result.standardDeviation, decimals: 1)) over \(episodes) episodes "
                + "(lengths \(result.lengths.map(String.init).joined(separator: " ")))")
    }
}
