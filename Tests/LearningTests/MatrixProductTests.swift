import Environments
import Testing

@testable import Learning

/// The networks' matrix products against the order they promise: each element of C summed
/// term by term, p ascending, with one fused multiply-add each. Equal bits, not a tolerance.
@Suite("Matrix products")
struct MatrixProductTests {
    /// op(A)·op(B) (+ C) element by element in the promised order.
    static func reference<Scalar: NetworkScalar>(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, a: [Scalar],
        b: [Scalar], accumulate: Bool, c: [Scalar]
    ) -> [Scalar] {
        let lda = transposeA ? m : k, ldb = transposeB ? k : n
        var result = c
        for i in 0..<m {
            for j in 0..<n {
                var sum: Scalar = accumulate ? c[i * n + j] : 0
                for p in 0..<k {
                    let left = transposeA ? a[p * lda + i] : a[i * lda + p]
                    let right = transposeB ? b[j * ldb + p] : b[p * ldb + j]
                    sum = sum.addingProduct(left, right)
                }
                result[i * n + j] = sum
            }
        }
        return result
    }

    /// Sign, exponent and significand bits, so that −0 and +0 differ.
    static func bits<Scalar: NetworkScalar>(_ x: Scalar) -> String {
        "\(x.sign) \(x.exponentBitPattern) \(x.significandBitPattern)"
    }

    static func check<Scalar: NetworkScalar>(_: Scalar.Type, random: inout RandomGenerator) {
        // Shapes that exercise whole register tiles, tiles of every smaller height, single vectors,
        // single-element tails, sums longer than one block of terms (64), and the tails of at least
        // a vector's worth of rows that a transposed A computes as their transpose (a first layer's
        // weight gradient: 64 outputs × 11 inputs over 256 samples).
        for (m, n, k) in [
            (1, 1, 1), (3, 5, 7), (4, 16, 11), (5, 17, 64), (9, 65, 3), (13, 130, 33), (8, 256, 17), (6, 3, 64),
            (7, 80, 65), (11, 48, 200), (2, 64, 129), (64, 11, 256), (40, 27, 70), (17, 3, 5), (16, 1, 9),
        ] {
            for transposeA in [false, true] {
                for transposeB in [false, true] {
                    for accumulate in [false, true] {
                        let a = (0..<(m * k)).map { _ in Scalar(random.standardNormal()) }
                        let b = (0..<(k * n)).map { _ in Scalar(random.standardNormal()) }
                        let c = (0..<(m * n)).map { _ in Scalar(random.standardNormal()) }
                        var product = c
                        a.withUnsafeBufferPointer { a in
                            b.withUnsafeBufferPointer { b in
                                product.withUnsafeMutableBufferPointer { out in
                                    Scalar.gemm(
                                        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                        a: a.baseAddress!,
                                        lda: transposeA ? m : k, b: b.baseAddress!, ldb: transposeB ? k : n,
                                        accumulate: accumulate, c: out.baseAddress!, ldc: n)
                                }
                            }
                        }
                        let expected = reference(
                            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, b: b,
                            accumulate: accumulate, c: c)
                        #expect(
                            product.map(bits) == expected.map(bits),
                            """
                            \(Scalar.self) m \(m) n \(n) k \(k) transposeA \(transposeA) \
                            transposeB \(transposeB) accumulate \(accumulate)
                            """
                        )
                    }
                }
            }
        }
    }

    @Test("float products have the bits of the term-by-term fused order")
    func floatProducts() {
        var random = RandomGenerator(seed: 11)
        Self.check(Float.self, random: &random)
    }

    @Test("double products have the bits of the term-by-term fused order")
    func doubleProducts() {
        var random = RandomGenerator(seed: 12)
        Self.check(Double.self, random: &random)
    }
}
