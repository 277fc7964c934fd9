import CMatrix
import Foundation

/// Element types the networks compute in: `Float` for training and `Double` for gradient checks.
public protocol NetworkScalar: BinaryFloatingPoint, Codable, Sendable, BitwiseCopyable {
    /// `C = op(A)·op(B)`, plus C's previous value when `accumulate`, row-major: op(A) is m × k,
    /// op(B) is k × n, C is m × n. Each element sums its k terms in order with one fused
    /// multiply-add each, so the bits are the same on every CPU (`CMatrix.h`).
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
        accumulate: Bool, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// The hidden-layer activation, tanh.
    static func activation(_ x: Self) -> Self
    /// Applies ``activation(_:)`` to every element, in place (one call per layer, so the loop
    /// runs in the concrete type's code).
    static func applyActivation(_ values: UnsafeMutableBufferPointer<Self>)
}

extension Float: NetworkScalar {
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        accumulate: Bool, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        spo_gemm_f32(
            transposeA ? 1 : 0, transposeB ? 1 : 0, Int32(m), Int32(n), Int32(k), a, Int32(lda), b, Int32(ldb),
            accumulate ? 1 : 0, c, Int32(ldc))
    }
    /// A fast, branch-free float tanh (relative error about 1e-7, within a few float ulps):
    /// glibc's `tanhf` took most of an update's time. An odd Taylor polynomial for |x| < 0.2,
    /// `1 − 2/(e^{2|x|} + 1)` with a range-reduced polynomial exponential elsewhere (|x| clamped
    /// at 10, where tanh rounds to 1), the sign restored last. Branch-free so the loop vectorises.
    @inline(__always)
    public static func activation(_ x: Float) -> Float {
        let a = Swift.min(abs(x), 10)
        let y = 2 * a
        // Adding 1.5·2²³ rounds y·log₂e to an integer k held in the low bits (no conversion call).
        let shifted = y * 1.442_695_04 + 12_582_912
        let k = shifted - 12_582_912
        let r = (y - k * 0.693_145_75) - k * 1.428_606_8e-6  // y − k·ln 2 in two parts
        let p = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720))))))
        let e = p * Float(bitPattern: (shifted.bitPattern &- 0x4B40_0000 &+ 127) &<< 23)  // p·2^k
        let large = 1 - 2 / (e + 1)
        let a2 = a * a
        let small = a * (1 + a2 * (-1 / 3 + a2 * (2 / 15 + a2 * (-17 / 315))))
        return Float(signOf: x, magnitudeOf: a < 0.2 ? small : large)
    }

    public static func applyActivation(_ values: UnsafeMutableBufferPointer<Float>) {
        for i in values.indices { values[i] = activation(values[i]) }
    }

}

extension Double: NetworkScalar {
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        accumulate: Bool, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        spo_gemm_f64(
            transposeA ? 1 : 0, transposeB ? 1 : 0, Int32(m), Int32(n), Int32(k), a, Int32(lda), b, Int32(ldb),
            accumulate ? 1 : 0, c, Int32(ldc))
    }
    public static func activation(_ x: Double) -> Double { Foundation.tanh(x) }
    public static func applyActivation(_ values: UnsafeMutableBufferPointer<Double>) {
        for i in values.indices { values[i] = activation(values[i]) }
    }
}
