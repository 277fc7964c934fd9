import Dispatch
import Foundation
import Synchronization

/// SIGINT and SIGTERM turned into a request to stop: the running update finishes, a checkpoint
/// is written, and `spo run` exits (130 for SIGINT, 143 for SIGTERM), ready to resume.
/// Slurm sends SIGTERM before it preempts, requeues or times out a job.
public enum StopSignal {
    private static let received = Atomic<Int32>(0)
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    /// Installs the handlers (once per process).
    public static func install() {
        guard sources.isEmpty else { return }
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { received.store(number, ordering: .relaxed) }
            source.resume()
            sources.append(source)
        }
    }

    /// The signal received, or nil while none has been.
    public static var requested: Int32? {
        let number = received.load(ordering: .relaxed)
        return number == 0 ? nil : number
    }
}
