/// The project's seeded random generator: xoshiro256** seeded through SplitMix64.
///
/// Deterministic for a seed on every platform, cheap to copy, and `Codable`, so a
/// checkpoint can store it and continue the same stream. Uniform draws use the top
/// 53 bits; normal draws use the Box–Muller transform (one normal per two uniforms).
public struct RandomGenerator: RandomNumberGenerator, Codable, Equatable, Sendable {
    /// The four 64-bit words of generator state.
    public private(set) var state: [UInt64]

    /// A generator whose stream is determined by `seed`.
    public init(seed: UInt64) {
        var splitMix = seed
        func nextSplitMix() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = [nextSplitMix(), nextSplitMix(), nextSplitMix(), nextSplitMix()]
    }

    /// Decodes a saved generator, refusing a state that is not four words, not all zero.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let words = try container.decode([UInt64].self, forKey: .state)
        guard words.count == 4, words.contains(where: { $0 != 0 }) else {
            throw DecodingError.dataCorruptedError(
                forKey: .state, in: container,
                debugDescription:
                    "must be 4 words, not all zero, got \(words.count == 4 ? "all zero" : "\(words.count) words")")
        }
        state = words
    }

    private enum CodingKeys: String, CodingKey { case state }

    private static func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    public mutating func next() -> UInt64 {
        let result = Self.rotateLeft(state[1] &* 5, 7) &* 9
        let t = state[1] << 17
        state[2] ^= state[0]
        state[3] ^= state[1]
        state[1] ^= state[2]
        state[0] ^= state[3]
        state[2] ^= t
        state[3] = Self.rotateLeft(state[3], 45)
        return result
    }

    /// A uniform double in [0, 1).
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A uniform double in [low, high), computed as `low + (high - low) * u` like NumPy.
    public mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * nextUnit() }

    /// A standard normal double.
    public mutating func standardNormal() -> Double {
        let u1 = 1.0 - nextUnit()  // in (0, 1], so the logarithm is finite
        let u2 = nextUnit()
        return (-2.0 * PortableMath.log(u1)).squareRoot() * PortableMath.cosineOfTurns(u2)
    }
}
