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
