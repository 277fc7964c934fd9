import Foundation
import Learning

/// One network of the grid: its label and hidden layer sizes. `3-layer` is the papers' shallow
/// actor (64-64), `7-layer` the deep one (256-256-128-128-64-64); the critic is 64-64.
public struct NetworkVariant: Codable, Sendable, Equatable {
    public var label: String
    public var actorHidden: [Int]
    public var criticHidden: [Int]

    /// The papers' networks by label (`3-layer`, `7-layer`).
    public static func named(_ label: String) -> NetworkVariant? {
        guard let layers = ["3-layer": 3, "7-layer": 7][label],
            let actor = TrainingConfiguration.actorHidden(layers: layers)
        else { return nil }
        return NetworkVariant(label: label, actorHidden: actor, criticHidden: [64, 64])
    }
}
