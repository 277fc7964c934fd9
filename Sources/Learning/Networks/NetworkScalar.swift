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
    /// tanh by CMatrix's polynomial (`spo_tanh_f32`): within a few float ulps, the same bits on
    /// every instruction set.
    public static func activation(_ x: Float) -> Float {
        var value = x
        spo_tanh_f32(&value, 1)
        return value
    }

    public static func applyActivation(_ values: UnsafeMutableBufferPointer<Float>) {
        spo_tanh_f32(values.baseAddress, values.count)
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
