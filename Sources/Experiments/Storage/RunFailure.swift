import Foundation

/// Why a run's last attempt failed.
public struct RunFailure: Codable, Sendable {
    public var message: String
}
