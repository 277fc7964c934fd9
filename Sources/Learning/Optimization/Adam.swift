/// Adam (PyTorch's defaults: β₁ 0.9, β₂ 0.999, ε 1e-8) over a flat parameter array.
public struct Adam<Scalar: NetworkScalar>: Codable, Sendable {
    public var beta1: Scalar = 0.9
    public var beta2: Scalar = 0.999
    public var epsilon: Scalar = 1e-8
    /// First and second moment estimates.
    public var firstMoment: [Scalar]
    public var secondMoment: [Scalar]
    /// Steps taken.
    public var step = 0
    /// β₁^step and β₂^step, kept as running products (the same multiplications as recomputing them).
    public var beta1Power = 1.0
    public var beta2Power = 1.0

    public init(parameterCount: Int) {
        firstMoment = Array(repeating: 0, count: parameterCount)
        secondMoment = Array(repeating: 0, count: parameterCount)
    }

    private enum CodingKeys: String, CodingKey {
        case beta1, beta2, epsilon, firstMoment, secondMoment, step, beta1Power, beta2Power
    }

    // The moments are stored as packed bytes (base64 in JSON): exact and fast for large networks.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        beta1 = try container.decode(Scalar.self, forKey: .beta1)
        beta2 = try container.decode(Scalar.self, forKey: .beta2)
        epsilon = try container.decode(Scalar.self, forKey: .epsilon)
        firstMoment = try container.decode(PackedArray<Scalar>.self, forKey: .firstMoment).values
        secondMoment = try container.decode(PackedArray<Scalar>.self, forKey: .secondMoment).values
        step = try container.decode(Int.self, forKey: .step)
        beta1Power = try container.decode(Double.self, forKey: .beta1Power)
        beta2Power = try container.decode(Double.self, forKey: .beta2Power)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(beta1, forKey: .beta1)
        try container.encode(beta2, forKey: .beta2)
        try container.encode(epsilon, forKey: .epsilon)
        try container.encode(PackedArray(firstMoment), forKey: .firstMoment)
        try container.encode(PackedArray(secondMoment), forKey: .secondMoment)
        try container.encode(step, forKey: .step)
        try container.encode(beta1Power, forKey: .beta1Power)
        try container.encode(beta2Power, forKey: .beta2Power)
    }

    /// One step of size `learningRate` against `gradient`.
    public mutating func update(_ parameters: inout [Scalar], gradient: [Scalar], learningRate: Double) {
        step += 1
        beta1Power *= Double(beta1)
        beta2Power *= Double(beta2)
        let correction1 = 1 - beta1Power
        let correction2 = 1 - beta2Power
        let stepSize = Scalar(learningRate / correction1)
        let secondCorrection = Scalar(correction2.squareRoot())
        let (beta1, beta2, epsilon) = (beta1, beta2, epsilon)
        precondition(
            firstMoment.count == parameters.count && secondMoment.count == parameters.count
                && gradient.count == parameters.count)
        // Through buffer pointers, free of per-element bounds and uniqueness checks, the loop
        // vectorises; each element's arithmetic is the same.
        parameters.withUnsafeMutableBufferPointer { parameters in
            firstMoment.withUnsafeMutableBufferPointer { first in
                secondMoment.withUnsafeMutableBufferPointer { second in
                    gradient.withUnsafeBufferPointer { gradient in
                        for i in 0..<parameters.count {
                            let g = gradient[i]
                            first[i] = beta1 * first[i] + (1 - beta1) * g
                            second[i] = beta2 * second[i] + (1 - beta2) * g * g
                            parameters[i] -= stepSize * first[i] / (second[i].squareRoot() / secondCorrection + epsilon)
                        }
                    }
                }
            }
        }
    }
}

/// Scales `gradient` so that its global L2 norm is at most `maxNorm` (as `torch.nn.utils.clip_grad_norm_`)
/// and returns the norm before clipping.
@discardableResult
public func clipGradientNorm<Scalar: NetworkScalar>(_ gradient: inout [Scalar], maxNorm: Double) -> Double {
    let norm = gradient.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
    let coefficient = maxNorm / (norm + 1e-6)
    if coefficient < 1 {
        let c = Scalar(coefficient)
        for i in gradient.indices { gradient[i] *= c }
    }
    return norm
}
