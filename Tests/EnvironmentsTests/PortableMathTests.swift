import Foundation
import Testing

@testable import Environments

/// The project's own elementary functions: within a few units in the last place of the C
/// library's, and exact where the answer is.
@Suite("Portable math")
struct PortableMathTests {
    /// |a − b| in units in the last place of b.
    static func ulps(_ a: Double, _ b: Double) -> Double { abs(a - b) / b.ulp }

    @Test("exp is within 2 ulp of the C library's across its range")
    func exponential() {
        var random = RandomGenerator(seed: 1)
        for _ in 0..<200_000 {
            let x = random.uniform(-740, 709)
            #expect(Self.ulps(PortableMath.exp(x), Foundation.exp(x)) <= 2, "exp(\(x))")
        }
        for _ in 0..<100_000 {
            let x = random.uniform(-1, 1)
            #expect(Self.ulps(PortableMath.exp(x), Foundation.exp(x)) <= 2, "exp(\(x))")
        }
        #expect(PortableMath.exp(0) == 1)
        #expect(PortableMath.exp(710) == .infinity)
        #expect(PortableMath.exp(-746) == 0)
        #expect(PortableMath.exp(.nan).isNaN)
        #expect(PortableMath.exp(-.infinity) == 0)
    }

    @Test("log is within 2 ulp of the C library's, subnormals included")
    func logarithm() {
        var random = RandomGenerator(seed: 2)
        for _ in 0..<200_000 {
            let x = Foundation.exp(random.uniform(-745, 709))
            guard x > 0 else { continue }
            let expected = Foundation.log(x)
            #expect(abs(PortableMath.log(x) - expected) <= 2 * Swift.max(expected.ulp, 1e-300), "log(\(x))")
        }
        for _ in 0..<100_000 {
            let x = 1 - random.nextUnit()  // Box–Muller's (0, 1]
            let expected = Foundation.log(x)
            #expect(x == 1 ? PortableMath.log(x) == 0 : Self.ulps(PortableMath.log(x), expected) <= 2, "log(\(x))")
        }
        #expect(PortableMath.log(1) == 0)
        #expect(PortableMath.log(0) == -.infinity)
        #expect(PortableMath.log(-1).isNaN)
        #expect(PortableMath.log(.infinity) == .infinity)
    }

    @Test("cos(2π·turns) is within 2e-16 of the C library's on [0, 1]")
    func cosine() {
        var random = RandomGenerator(seed: 3)
        for _ in 0..<200_000 {
            let turns = random.nextUnit()
            #expect(
                abs(PortableMath.cosineOfTurns(turns) - Foundation.cos(2 * Double.pi * turns)) <= 2e-16 + 4
                    * Double.ulpOfOne * abs(turns),
                "cos(2π·\(turns))")
        }
        #expect(PortableMath.cosineOfTurns(0) == 1)
        #expect(PortableMath.cosineOfTurns(0.5) == -1)
        #expect(PortableMath.cosineOfTurns(1) == 1)
        #expect(PortableMath.cosineOfTurns(0.25) == 0)
    }
}
