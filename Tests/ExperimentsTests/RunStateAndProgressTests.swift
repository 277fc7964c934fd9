import Foundation
import Testing

@testable import Experiments

@Suite("Run states and progress")
struct RunStateAndProgressTests {
    @Test("a run's state is pending, running while another claim holds its lock, failed, then finished")
    func states() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("state-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = RunFiles(directory: directory)
        #expect(RunState.of(files) == .pending(checkpointUpdate: nil))
        var lock = try RunLock.acquire(directory)
        #expect(lock != nil)
        #expect(try RunLock.acquire(directory) == nil, "a second claim must fail while the first holds the lock")
        guard case let .running(holder) = RunState.of(files) else {
            Issue.record("a held run is not reported as running")
            return
        }
        #expect(holder.hasSuffix(" \(getpid())"))
        lock = nil
        #expect(RunLock.holder(directory) == nil, "releasing the claim frees the run")
        try AtomicFile.write(JSONEncoder().encode(RunFailure(message: "boom")), to: files.failure)
        #expect(RunState.of(files) == .failed("boom"))
        try AtomicFile.write("{}", to: files.summary)
        #expect(RunState.of(files) == .finished)
        withExtendedLifetime(lock) {}
    }

    @Test("progress: timestamped lines for logs, a redrawn block with a bar on a terminal")
    func progressViews() throws {
        func output(interactive: Bool) throws -> String {
            let pipe = Pipe()
            let reporter = ProgressReporter(
                total: 2, alreadyFinished: 0, interactive: interactive, logInterval: 0,
                output: pipe.fileHandleForWriting)
            reporter.handle(.started(id: "run-a", fromUpdate: 0, updates: 4))
            usleep(250_000)  // the live block redraws at most every 0.2 s
            reporter.handle(
                .progress(
                    id: "run-a", update: 2, updates: 4, globalStep: 512, episodicReturn: 12.5, stepsPerSecond: 1000,
                    ratioDeviation: 0.1, kl: 0.01))
            reporter.handle(.finished(id: "run-a", finalReturn: 20, evaluationReturn: 30))
            reporter.handle(.failed(id: "run-b", message: "boom"))
            reporter.finish()
            try pipe.fileHandleForWriting.close()
            return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        }
        let log = try output(interactive: false)
        let lines = log.split(separator: "\n")
        #expect(lines.count == 4 && lines.allSatisfy { $0.hasPrefix("[20") })
        #expect(
            log.contains("start  run-a (4 updates)") && log.contains("run-a update 2/4 step 512 return 12.5 sps 1000"))
        #expect(
            log.contains("done   run-a: return (last 10%) 20.0, evaluation 30.0 [1/2 finished]")
                && log.contains("FAILED run-b: boom"))
        #expect(!log.contains("\u{1B}["))
        let terminal = try output(interactive: true)
        #expect(terminal.contains("\u{1B}[") && terminal.contains("█"))
        #expect(terminal.contains(" 50.0% run-a  step 512  return 12.5  1000 sps"))
        #expect(terminal.contains("1/2 finished, 0 running, 1 failed"))
    }
}
