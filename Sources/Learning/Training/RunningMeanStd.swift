import Environments

/// Running mean and variance with the exact arithmetic of Gymnasium 0.29.1's
/// `RunningMeanStd` fed one sample at a time (docs/environments.md#running-statistics): the count
/// starts at 1e-4 and grows by `+ 1` per update, in double.
public struct RunningMeanStd: Codable, Equatable, Sendable {
    public var mean: [Double]
    public var variance: [Double]
    public var count: Double

    /// Statistics of `size` elements: mean 0, variance 1, count 1e-4.
    public init(size: Int) {
        mean = Array(repeating: 0, count: size)
        variance = Array(repeating: 1, count: size)
        count = 1e-4
    }

    /// Adds one sample (a batch of one: batch mean x, batch variance 0).
    public mutating func update(_ sample: UnsafeBufferPointer<Double>) {
        let total = count + 1
        for i in mean.indices {
            let delta = sample[i] - mean[i]
            mean[i] = mean[i] + (delta * 1) / total
            variance[i] = ((variance[i] * count + 0) + (((delta * delta) * count) * 1) / total) / total
        }
        count = total
    }
}
