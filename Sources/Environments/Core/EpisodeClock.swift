/// Per-episode bookkeeping of an environment: its random generator and step counter.
public struct EpisodeClock: Codable, Equatable, Sendable {
    /// The generator for reset noise; reseeded by `reset(seed:)`, continued otherwise.
    public var random: RandomGenerator
    /// Steps taken since the last reset.
    public var elapsedSteps: Int
    /// Whether `reset` was called since construction.
    public var hasReset: Bool

    public init(seed: UInt64 = 0) {
        random = RandomGenerator(seed: seed)
        elapsedSteps = 0
        hasReset = false
    }
}
