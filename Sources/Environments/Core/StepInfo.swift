/// Named extra values of one step (Gymnasium's `info` dictionary), in ``EnvironmentSpec/infoKeys`` order.
public struct StepInfo: Sendable, Equatable {
    /// The keys, shared with the spec.
    public let keys: [String]
    /// One value per key.
    public var values: [Double]

    /// The value of `key`, or nil when this environment does not report it.
    public subscript(key: String) -> Double? {
        keys.firstIndex(of: key).map { values[$0] }
    }
}
