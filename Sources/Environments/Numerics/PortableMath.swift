/// Elementary functions in double precision computed by the project's own fixed sequence of
/// IEEE-754 additions, multiplications and divisions, so that they give the same bits on every
/// machine.
///
/// The C library's `exp`, `log` and `cos` differ between libraries and, within one library,
/// between CPUs (glibc picks FMA or non-FMA code paths at load time), and their last bit
/// decides which action is sampled and how every later number rounds. These are accurate to a
/// few units in the last place, which is far below anything the learner can notice, and every
/// operation is written out: Swift never contracts `a * b + c` into a fused multiply-add.
public enum PortableMath {
    /// ln 2 split so that `k · ln2High` is exact for |k| < 2¹¹.
    private static let ln2High = 0x1.62e42fee00000p-1
    private static let ln2Low = 0x1.a39ef35793c76p-33
    private static let log2e = 0x1.71547652b82fep0
    /// 2π split into a double and its remainder.
    private static let twoPiHigh = 0x1.921fb54442d18p2
    private static let twoPiLow = 0x1.1a62633145c07p-52

    /// e^x; +∞ above ≈ 709.78, 0 below ≈ −745.13, NaN for NaN.
    public static func exp(_ x: Double) -> Double {
        if x.isNaN { return x }
        if x > 709.782712893384 { return .infinity }
        if x < -745.1332191019412 { return 0 }
        // x = k·ln 2 + r with |r| ≤ ln 2 / 2.
        let k = (x * log2e).rounded(.toNearestOrEven)
        let r = (x - k * ln2High) - k * ln2Low
        return scaled(horner(exponentialSeries, r), byPowerOfTwo: Int(k))
    }

    /// ln x; −∞ at 0, NaN below 0 and for NaN, +∞ at +∞.
    public static func log(_ x: Double) -> Double {
        if x.isNaN || x < 0 { return .nan }
        if x == 0 { return -.infinity }
        if x == .infinity { return x }
        // x = 2^e · m with m in [√½, √2).
        var exponent = Int(x.exponent)
        var mantissa = x.significand
        if mantissa > 1.4142135623730951 {
            mantissa *= 0.5
            exponent += 1
        }
        // ln m = 2·artanh(s) = 2s·(1 + s²/3 + s⁴/5 + …) with s = (m − 1)/(m + 1), |s| < 0.172.
        let f = mantissa - 1
        let s = f / (2 + f)
        let s2 = s * s
        let logMantissa = 2 * s + 2 * s * s2 * horner(artanhSeries, s2)
        let e = Double(exponent)
        return e * ln2High + (e * ln2Low + logMantissa)
    }

    /// cos(2π·turns) for turns in [0, 1]; the reduction by quarter turns is exact there.
    public static func cosineOfTurns(_ turns: Double) -> Double {
        precondition(turns >= 0 && turns <= 1, "cosineOfTurns takes turns in [0, 1], got \(turns)")
        let quarter = (turns * 4).rounded(.toNearestOrEven)
        let remainder = turns - quarter * 0.25  // exact, in [−1/8, 1/8]
        let angle = remainder * twoPiHigh + remainder * twoPiLow  // in [−π/4, π/4]
        let a2 = angle * angle
        switch Int(quarter) & 3 {
        case 0: return horner(cosineSeries, a2)
        case 1: return -(angle * horner(sineSeries, a2))
        case 2: return -horner(cosineSeries, a2)
        default: return angle * horner(sineSeries, a2)
        }
    }

    /// 1/n! for n = 0…13: e^r for |r| ≤ ln 2 / 2 (the next term is below 2⁻⁵⁶ of the result).
    private static let exponentialSeries = (0...13).map { 1 / factorial($0) }
    /// 1/(2n + 3) for n = 0…10: the artanh series after its first term, in s².
    private static let artanhSeries = (0...10).map { 1 / Double(2 * $0 + 3) }
    /// (−1)ⁿ/(2n)! for n = 0…9: cos θ in θ² for |θ| ≤ π/4.
    private static let cosineSeries = (0...9).map { ($0 % 2 == 0 ? 1 : -1) / factorial(2 * $0) }
    /// (−1)ⁿ/(2n + 1)! for n = 0…9: sin θ / θ in θ² for |θ| ≤ π/4.
    private static let sineSeries = (0...9).map { ($0 % 2 == 0 ? 1 : -1) / factorial(2 * $0 + 1) }

    /// Σ coefficients[n]·xⁿ by Horner's rule, highest power first.
    @inline(__always)
    private static func horner(_ coefficients: [Double], _ x: Double) -> Double {
        var sum = coefficients[coefficients.count - 1]
        for n in stride(from: coefficients.count - 2, through: 0, by: -1) { sum = coefficients[n] + x * sum }
        return sum
    }

    /// n! as a double (exact up to 22!).
    private static func factorial(_ n: Int) -> Double {
        var product = 1.0
        for i in stride(from: 2, through: n, by: 1) { product *= Double(i) }
        return product
    }

    /// `value · 2^power` for a `value` in [½, 2], exact unless the result is subnormal.
    private static func scaled(_ value: Double, byPowerOfTwo power: Int) -> Double {
        if power > 1000 { return value * 0x1p1000 * Double(sign: .plus, exponent: power - 1000, significand: 1) }
        if power < -1000 { return value * 0x1p-1000 * Double(sign: .plus, exponent: power + 1000, significand: 1) }
        return value * Double(sign: .plus, exponent: power, significand: 1)
    }
}
