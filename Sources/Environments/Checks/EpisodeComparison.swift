/// The comparison of one replayed episode with its recording.
public struct EpisodeComparison: Sendable {
    public var task: String
    public var episode: String
    /// Steps replayed and compared (the reset is compared in addition).
    public var stepsCompared = 0
    /// Largest |ours − recorded| over every observation value, reset included.
    public var maxObservationDeviation = 0.0
    /// Largest |ours − recorded| over the rewards.
    public var maxRewardDeviation = 0.0
    /// Largest |ours − recorded| over every info value.
    public var maxInfoDeviation = 0.0
    /// Values whose bit patterns differ (so −0.0 against 0.0 counts), flags that differ and missing info keys.
    public var mismatches = 0
    /// The first mismatch, to locate a bug.
    public var firstMismatch: String?

    /// Whether every number and flag matched exactly.
    public var isExact: Bool { mismatches == 0 }

    mutating func compare(_ ours: Double, _ recorded: Double, what: @autoclosure () -> String) -> Double {
        if ours.bitPattern == recorded.bitPattern { return 0 }
        mismatches += 1
        if firstMismatch == nil { firstMismatch = "\(what()): got \(ours), recorded \(recorded)" }
        if ours.isNaN && recorded.isNaN { return 0 }
        let deviation = abs(ours - recorded)
        return deviation.isNaN ? .infinity : deviation
    }

    mutating func compareFlag(_ ours: Bool, _ recorded: Bool, what: @autoclosure () -> String) {
        guard ours != recorded else { return }
        mismatches += 1
        if firstMismatch == nil { firstMismatch = "\(what()): got \(ours), recorded \(recorded)" }
    }
}
