/// One minibatch of rollout data.
public struct Minibatch<Scalar: NetworkScalar>: Sendable {
    public var size: Int
    /// size × observationSize normalised observations.
    public var observations: [Scalar]
    /// size × actionSize unclipped sampled actions.
    public var actions: [Double]
    /// log π_old(a|s).
    public var oldLogProbabilities: [Double]
    /// size × actionSize means of π_old.
    public var oldMeans: [Double]
    /// Log-std of π_old (state-independent).
    public var oldLogStd: [Double]
    public var advantages: [Double]
    public var returns: [Double]
    public var oldValues: [Double]
}

extension Minibatch {
    /// The samples `rows` of this batch, in that order.
    public func rows(_ chosen: ArraySlice<Int>) -> Minibatch {
        let observationSize = observations.count / size, actionSize = actions.count / size
        return Minibatch(
            size: chosen.count,
            observations: gatherRows(observations, width: observationSize, rows: chosen),
            actions: gatherRows(actions, width: actionSize, rows: chosen),
            oldLogProbabilities: gatherRows(oldLogProbabilities, width: 1, rows: chosen),
            oldMeans: gatherRows(oldMeans, width: actionSize, rows: chosen),
            oldLogStd: oldLogStd,
            advantages: gatherRows(advantages, width: 1, rows: chosen),
            returns: gatherRows(returns, width: 1, rows: chosen),
            oldValues: gatherRows(oldValues, width: 1, rows: chosen)
        )
    }
}

/// The rows `rows` of a row-major matrix of `width` columns, in that order.
func gatherRows<T>(_ matrix: [T], width: Int, rows: ArraySlice<Int>) -> [T] {
    [T](unsafeUninitializedCapacity: rows.count * width) { buffer, count in
        matrix.withUnsafeBufferPointer { source in
            var k = 0
            for row in rows {
                for j in 0..<width { (buffer.baseAddress! + k + j).initialize(to: source[row * width + j]) }
                k += width
            }
        }
        count = rows.count * width
    }
}
