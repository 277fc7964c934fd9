/// One finished episode: the global step at its end, its raw return and length.
public struct EpisodeRecord: Sendable, Equatable {
    public var globalStep: Int
    public var episodeReturn: Float
    public var length: Int32
    public static let csvHeader = "global_step,return,length"
    public var csvRow: String { "\(globalStep),\(episodeReturn),\(length)" }
}
