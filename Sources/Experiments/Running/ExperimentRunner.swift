import CProcess
import Foundation

/// A deterministic subset of an experiment's runs: run k (in grid order) belongs to shard
/// `k mod count`. Written `I/N` on the command line, 0 ≤ I < N (Slurm's array index).
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var count: Int
    public static let all = Shard(index: 0, count: 1)

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Parses `I/N`; nil when it is not two integers with 0 ≤ I < N.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1,
            (0..<count).contains(index)
        else { return nil }
        self.init(index: index, count: count)
    }

    public func contains(_ position: Int) -> Bool { position % count == index }
    public var description: String { "\(index)/\(count)" }
}

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

/// Runs an experiment with `jobs` worker processes (`spo run … --jobs 1 --report json`, each
/// claiming runs from the same list), relaying their events to `report`. Stop signals are
/// passed on to the workers, which checkpoint and exit; workers die with this process.
public struct ParallelRunner {
    public var executable: URL
    /// Arguments of a worker: the same configuration, results root, shard and workers.
    public var workerArguments: [String]
    public var jobs: Int

    public init(executable: URL, workerArguments: [String], jobs: Int) {
        self.executable = executable
        self.workerArguments = workerArguments
        self.jobs = jobs
    }

    /// Starts the workers and waits for them; returns their exit statuses.
    public func run(report: @escaping @Sendable (RunEvent) -> Void) throws -> [Int32] {
        var environment = ProcessInfo.processInfo.environment
        environment[workerParentVariable] = "\(getpid())"
        var processes: [Process] = []
        var readers: [Thread] = []
        let siblings = SiblingSet()
        for _ in 0..<jobs {
            let process = Process()
            process.executableURL = executable
            process.arguments = workerArguments
            process.environment = environment
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            siblings.insert(process.processIdentifier)
            processes.append(process)
            let handle = pipe.fileHandleForReading
            let reader = Thread {
                var buffer = Data()
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    buffer.append(chunk)
                    while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                        let line = buffer[buffer.startIndex..<newline]
                        buffer.removeSubrange(buffer.startIndex...newline)
                        guard let event = try? JSONDecoder.nonFinite.decode(RunEvent.self, from: Data(line)) else {
                            continue
                        }
                        // A run held by a sibling worker is not news.
                        if case let .skipped(_, holder) = event,
                            let pid = holder.split(separator: " ").last.flatMap({ Int32($0) }), siblings.contains(pid)
                        {
                            continue
                        }
                        report(event)
                    }
                }
            }
            reader.start()
            readers.append(reader)
        }
        var forwarded = false
        while processes.contains(where: \.isRunning) {
            if !forwarded, let signal = StopSignal.requested {
                for process in processes where process.isRunning { kill(process.processIdentifier, signal) }
                forwarded = true
            }
            usleep(50_000)
        }
        while readers.contains(where: { !$0.isFinished }) { usleep(10_000) }
        return processes.map(\.terminationStatus)
    }
}

/// The worker pids of a parallel run, read by the event readers.
private final class SiblingSet: @unchecked Sendable {
    private let lock = NSLock()
    private var pids = Set<Int32>()
    func insert(_ pid: Int32) { lock.withLock { _ = pids.insert(pid) } }
    func contains(_ pid: Int32) -> Bool { lock.withLock { pids.contains(pid) } }
}

/// The environment variable that tells a worker process its parent's pid.
public let workerParentVariable = "SPO_RUN_PARENT"

/// In a worker process: die with the parent (so `kill -9` of `spo run` leaves no orphan
/// holding locks). Returns false when the parent is already gone.
public func bindToParentProcess() -> Bool {
    guard let text = ProcessInfo.processInfo.environment[workerParentVariable], let parent = Int32(text) else {
        return true
    }
    _ = spo_exit_with_parent()
    return getppid() == parent
}
