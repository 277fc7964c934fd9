import CProcess
import Foundation

/// Runs an experiment's unfinished runs (of one shard) in this process, one after another,
/// claiming each with its ``RunLock`` so that any number of concurrent runners (`--jobs`
/// workers, shards, restarted or requeued jobs) share the grid without running a run twice.
public struct ExperimentRunner {
    public let configuration: ExperimentConfiguration
    /// The results root; runs go to `<root>/<experiment>/<run-id>/`.
    public let root: URL
    public let shard: Shard
    /// At most this many workers (threads) for each run, fewer when the run's own `workers`
    /// setting says so (nil: the run's setting). Results do not depend on it.
    public var workers: Int?

    public init(configuration: ExperimentConfiguration, root: URL, shard: Shard = .all, workers: Int? = nil) {
        self.configuration = configuration
        self.root = root
        self.shard = shard
        self.workers = workers
    }

    /// The workers each run gets when `jobs` runs share `cores` cores: ⌊cores / jobs⌋, at least
    /// 1, so jobs × workers ≤ cores whenever jobs ≤ cores. Within that budget no run's
    /// `WorkerPool` polls for a core another run is using.
    public static func workersPerRun(jobs: Int, cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> Int {
        Swift.max(1, cores / Swift.max(1, jobs))
    }

    /// The runs of this shard, in grid order.
    public var runs: [RunSpecification] {
        configuration.runs.enumerated().filter { shard.contains($0.offset) }.map(\.element)
    }

    /// How a runner's pass over its runs ended.
    public struct Tally: Sendable, Equatable {
        public var finished = 0
        public var failed = 0
        /// Runs held by other processes when this one reached them.
        public var skipped = 0
        /// The stop signal, when one stopped the pass.
        public var interruptedBy: Int32?
        public init() {}
    }

    /// Claims and runs every unfinished run not held by another process.
    public func run(report: (RunEvent) -> Void) -> Tally {
        var tally = Tally()
        for run in runs {
            if let signal = StopSignal.requested {
                tally.interruptedBy = signal
                break
            }
            let files = RunFiles(root: root, run: run)
            if files.isFinished {
                tally.finished += 1
                continue
            }
            let lock: RunLock?
            do {
                lock = try RunLock.acquire(files.directory)
            } catch {
                report(.failed(id: run.id, message: "\(error)"))
                tally.failed += 1
                continue
            }
            guard let lock else {
                report(.skipped(id: run.id, holder: RunLock.holder(files.directory) ?? "another process"))
                tally.skipped += 1
                continue
            }
            // Another runner may have finished it between the check and the claim.
            if files.isFinished {
                tally.finished += 1
                continue
            }
            do {
                let outcome = try RunExecutor(
                    run: run, files: files, workers: workers.map { Swift.min($0, run.training.workers) }
                ).execute(report: report)
                if outcome == .finished {
                    tally.finished += 1
                } else {
                    tally.interruptedBy = StopSignal.requested ?? SIGTERM
                }
            } catch {
                let message = "\(error)"
                let failure = RunFailure(message: message)
                try? AtomicFile.write(JSONEncoder.sorted.encode(failure), to: files.failure)
                report(.failed(id: run.id, message: message))
                tally.failed += 1
            }
            withExtendedLifetime(lock) {}
            if tally.interruptedBy != nil { break }
        }
        return tally
    }
}
