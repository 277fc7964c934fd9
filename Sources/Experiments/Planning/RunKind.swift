import Foundation

/// A kind of run: task × algorithm × network. Seeds of a kind share one measurement.
public struct RunKind: Hashable, Codable, Sendable, CustomStringConvertible {
    public var task: String
    public var algorithm: String
    public var network: String

    public init(_ run: RunSpecification) {
        task = run.task
        algorithm = run.algorithm
        network = run.network
    }

    public var description: String { "\(task) \(algorithm) \(network)" }
}
