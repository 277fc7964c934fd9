import CProcess
import Foundation

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
