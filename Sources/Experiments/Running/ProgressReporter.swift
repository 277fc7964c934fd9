import Foundation
import Learning

/// Shows runner events to a person or a log: on a terminal, a live block with one line per
/// active run (progress bar, steps, latest return, speed) under the lines of finished runs;
/// otherwise (cluster logs) plain timestamped lines: every start, finish, failure and stop,
/// and each active run's progress at most every `logInterval` seconds.
public final class ProgressReporter: @unchecked Sendable {
    private let lock = NSLock()
    private let interactive: Bool
    private let logInterval: Double
    private let output: FileHandle
    private let total: Int
    private var finished: Int
    private var failed = 0
    private var active: [String: (update: Int, updates: Int, step: Int, episodicReturn: Double, sps: Double)] = [:]
    private var lastReturns: [String: Double] = [:]
    private var lastLogged: [String: Double] = [:]
    private var drawnLines = 0
    private var lastDraw = 0.0
    private let timestamps = ISO8601DateFormatter()

    /// `total` runs in scope, `alreadyFinished` of them done before this command.
    public init(
        total: Int, alreadyFinished: Int, interactive: Bool = isatty(STDERR_FILENO) != 0, logInterval: Double = 30,
        output: FileHandle = .standardError
    ) {
        self.total = total
        finished = alreadyFinished
        self.interactive = interactive
        self.logInterval = logInterval
        self.output = output
    }

    public func handle(_ event: RunEvent) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date().timeIntervalSince1970
        switch event {
        case let .started(id, from, updates):
            active[id] = (from, updates, 0, .nan, 0)
            emit(from > 0 ? "resume \(id) from update \(from)/\(updates)" : "start  \(id) (\(updates) updates)")
        case let .progress(id, update, updates, step, episodicReturn, sps, _, _):
            if !episodicReturn.isNaN { lastReturns[id] = episodicReturn }
            active[id] = (update, updates, step, lastReturns[id] ?? .nan, sps)
            if !interactive, now - (lastLogged[id] ?? 0) >= logInterval {
                lastLogged[id] = now
                emit(
                    "       \(id) update \(update)/\(updates) step \(step) "
                        + "return \(format(lastReturns[id] ?? .nan)) sps \(Int(sps))"
                )
            }
        case let .finished(id, finalReturn, evaluationReturn):
            active[id] = nil
            finished += 1
            emit(
                "done   \(id): return (last 10%) \(format(finalReturn)), evaluation \(format(evaluationReturn)) "
                    + "[\(finished)/\(total) finished]"
            )
        case let .interrupted(id, update):
            active[id] = nil
            emit("stop   \(id) at update \(update), checkpointed; run the same command to resume")
        case let .failed(id, message):
            active[id] = nil
            failed += 1
            emit("FAILED \(id): \(message)")
        case let .diverged(id, message):
            active[id] = nil
            finished += 1
            emit("DIVERGED \(id): \(message); recorded as its outcome [\(finished)/\(total) finished]")
        case let .skipped(id, holder):
            emit("skip   \(id): running in \(holder)")
        }
        if interactive, now - lastDraw > 0.2 || !isProgress(event) {
            lastDraw = now
            redraw()
        }
    }

    /// Clears the live block (call before printing a final report).
    public func finish() {
        lock.lock()
        defer { lock.unlock() }
        if interactive { clearBlock() }
    }

    private func isProgress(_ event: RunEvent) -> Bool {
        if case .progress = event { return true }
        return false
    }

    private func emit(_ line: String) {
        if interactive { clearBlock() }
        let stamp = interactive ? "" : "[\(timestamps.string(from: Date()))] "
        output.write(Data((stamp + line + "\n").utf8))
        if interactive { redraw() }
    }

    private func clearBlock() {
        guard drawnLines > 0 else { return }
        output.write(
            Data(
                ("\u{1B}[\(drawnLines)A" + String(repeating: "\u{1B}[2K\n", count: drawnLines)
                    + "\u{1B}[\(drawnLines)A").utf8))
        drawnLines = 0
    }

    private func redraw() {
        clearBlock()
        var lines = active.keys.sorted().map { id -> String in
            let run = active[id]!
            let fraction = run.updates > 0 ? Double(run.update) / Double(run.updates) : 0
            let width = 24, filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            return
                "\(bar) \(String(format: "%5.1f%%", fraction * 100)) \(id)  step \(run.step)  "
                + "return \(format(run.episodicReturn))  \(Int(run.sps)) sps"
        }
        lines.append("\(finished)/\(total) finished, \(active.count) running, \(failed) failed")
        // Lines wider than the terminal would wrap and break the redraw.
        let width = terminalWidth
        lines = lines.map { $0.count > width ? String($0.prefix(width - 1)) + "…" : $0 }
        output.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        drawnLines = lines.count
    }

    private var terminalWidth: Int {
        var size = winsize()
        return ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 10 ? Int(size.ws_col) : 120
    }

    private func format(_ value: Double) -> String { value.isNaN ? "n/a" : ReadableNumber.format(value, decimals: 1) }
}
