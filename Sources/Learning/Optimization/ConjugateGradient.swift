/// Conjugate gradient for A·x = b with A symmetric positive definite, given only products A·v;
/// starts from x = 0 and stops after `iterations` or when ‖r‖² < `tolerance`.
public struct ConjugateGradient: Sendable {
    public var iterations: Int
    public var tolerance: Double

    public init(iterations: Int = 10, tolerance: Double = 1e-10) {
        self.iterations = iterations
        self.tolerance = tolerance
    }

    /// The approximate solution and the iterations run.
    public func solve(_ b: [Double], product: ([Double]) -> [Double]) -> (solution: [Double], iterations: Int) {
        var x = [Double](repeating: 0, count: b.count)
        var r = b, p = b
        var rr = dot(r, r)
        var run = 0
        while run < iterations && rr >= tolerance {
            let ap = product(p)
            let alpha = rr / dot(p, ap)
            for i in x.indices {
                x[i] += alpha * p[i]
                r[i] -= alpha * ap[i]
            }
            let next = dot(r, r)
            let beta = next / rr
            for i in p.indices { p[i] = r[i] + beta * p[i] }
            rr = next
            run += 1
        }
        return (x, run)
    }
}
