/// Floating-point reductions evaluated in exactly NumPy's order, so rewards match
/// Gymnasium bit for bit (docs/environments.md#floating-point-details).

/// NumPy's pairwise sum of `count` values `element(0..<count)` in the precision `T`:
/// sequential below 8 values, eight interleaved partial sums up to 128, halves beyond.
@inline(__always)
func numpyPairwiseSum<T: BinaryFloatingPoint>(_ count: Int, offset: Int = 0, _ element: (Int) -> T) -> T {
    if count < 8 {
        var sum: T = 0
        for i in 0..<count { sum = sum + element(offset + i) }
        return sum
    }
    if count <= 128 {
        var r0 = element(offset), r1 = element(offset + 1), r2 = element(offset + 2), r3 = element(offset + 3)
        var r4 = element(offset + 4), r5 = element(offset + 5), r6 = element(offset + 6), r7 = element(offset + 7)
        let blocked = count - count % 8
        var i = 8
        while i < blocked {
            r0 = r0 + element(offset + i); r1 = r1 + element(offset + i + 1)
            r2 = r2 + element(offset + i + 2); r3 = r3 + element(offset + i + 3)
            r4 = r4 + element(offset + i + 4); r5 = r5 + element(offset + i + 5)
            r6 = r6 + element(offset + i + 6); r7 = r7 + element(offset + i + 7)
            i += 8
        }
        var sum = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
        while i < count {
            sum = sum + element(offset + i)
            i += 1
        }
        return sum
    }
    var half = count / 2
    half -= half % 8
    return numpyPairwiseSum(half, offset: offset, element)
        + numpyPairwiseSum(count - half, offset: offset + half, element)
}

/// `weight * np.sum(np.square(values))` with NumPy 2 semantics: squares, sum and the
/// product in the precision of `T` (the weight rounded to `T` first), widened to Double.
@inline(__always)
func numpySumOfSquaresCost<T: ActionScalar>(weight: Double, _ values: UnsafeBufferPointer<T>) -> Double {
    let sum = numpyPairwiseSum(values.count) { values[$0] * values[$0] }
    return Double(T(weight) * sum)
}
