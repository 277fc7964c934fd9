/// A box of values with elementwise bounds, like Gymnasium's `Box` space.
public struct BoxSpace<Scalar: BinaryFloatingPoint & Sendable>: Sendable, Equatable {
    /// Lower bound of each element.
    public let low: [Scalar]
    /// Upper bound of each element.
    public let high: [Scalar]
    /// Number of elements.
    public var count: Int { low.count }

    public init(low: [Scalar], high: [Scalar]) {
        precondition(low.count == high.count, "bounds of different lengths")
        self.low = low
        self.high = high
    }

    /// A box of `count` elements without bounds.
    public static func unbounded(_ count: Int) -> BoxSpace {
        BoxSpace(low: Array(repeating: -.infinity, count: count), high: Array(repeating: .infinity, count: count))
    }
}
