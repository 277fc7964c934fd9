import Environments

/// A fully connected network with tanh hidden layers and a linear output, batched over rows.
///
/// Layer l maps `sizes[l]` inputs to `sizes[l+1]` outputs with weights stored like
/// PyTorch's `nn.Linear` (out × in, row-major) followed by the bias. All parameters
/// live in one flat array (W₀, b₀, W₁, b₁, …) so optimisers and gradient clipping
/// work on flat vectors; the gradient has the same layout.
public struct MLP<Scalar: NetworkScalar>: Sendable {
    /// Layer widths, input first, output last (e.g. [11, 64, 64, 3]).
    public let sizes: [Int]
    /// Offset of each layer's weights in the parameter array.
    public let weightOffsets: [Int]
    /// Total number of parameters.
    public let parameterCount: Int

    public init(sizes: [Int]) {
        precondition(
            sizes.count >= 2 && sizes.allSatisfy { $0 > 0 }, "an MLP needs at least an input and an output size")
        self.sizes = sizes
        var offsets: [Int] = []
        var offset = 0
        for l in 0..<(sizes.count - 1) {
            offsets.append(offset)
            offset += sizes[l + 1] * sizes[l] + sizes[l + 1]
        }
        weightOffsets = offsets
        parameterCount = offset
    }

    public var layerCount: Int { sizes.count - 1 }
    public var inputSize: Int { sizes[0] }
    public var outputSize: Int { sizes[sizes.count - 1] }

    /// Orthogonal weights with `hiddenGain` on the hidden layers and `outputGain` on the
    /// last, zero biases (the papers' initialisation; orthogonalisation as `torch.nn.init.orthogonal_`).
    public func initialParameters(hiddenGain: Double, outputGain: Double, random: inout RandomGenerator) -> [Scalar] {
        var parameters = [Scalar](repeating: 0, count: parameterCount)
        for l in 0..<layerCount {
            let gain = l == layerCount - 1 ? outputGain : hiddenGain
            let weights = orthogonalMatrix(rows: sizes[l + 1], columns: sizes[l], gain: gain, random: &random)
            for i in weights.indices { parameters[weightOffsets[l] + i] = Scalar(weights[i]) }
        }
        return parameters
    }

    /// The activations of a forward pass over a batch, kept for the backward pass.
    public struct Activations: Sendable {
        /// `outputs[l]` is layer l's output (batch × sizes[l+1]); hidden layers after tanh.
        public var outputs: [[Scalar]]
        public var batch: Int
        /// The network output (batch × outputSize).
        public var output: [Scalar] { outputs[outputs.count - 1] }
    }

    /// Forward pass of `batch` rows of `input` (batch × inputSize, row-major); this network's
    /// parameters start at `offset` in `parameters`.
    public func forward(_ parameters: [Scalar], offset: Int = 0, input: [Scalar], batch: Int) -> Activations {
        var outputs: [[Scalar]] = []
        outputs.reserveCapacity(layerCount)
        parameters.withUnsafeBufferPointer { p in
            for l in 0..<layerCount {
                let fanIn = sizes[l], fanOut = sizes[l + 1]
                let weights = p.baseAddress! + offset + weightOffsets[l]
                let bias = weights + fanOut * fanIn
                var z = [Scalar](repeating: 0, count: batch * fanOut)
                z.withUnsafeMutableBufferPointer { z in
                    fillRows(z.baseAddress!, rows: batch, with: bias, columns: fanOut)
                    let previous = l == 0 ? input : outputs[l - 1]
                    previous.withUnsafeBufferPointer { x in
                        Scalar.gemm(
                            transposeA: false, transposeB: true, m: batch, n: fanOut, k: fanIn,
                            a: x.baseAddress!, lda: fanIn, b: weights, ldb: fanIn, accumulate: true, c: z.baseAddress!,
                            ldc: fanOut)
                    }
                    if l < layerCount - 1 { Scalar.applyActivation(z) }
                }
                outputs.append(z)
            }
        }
        return Activations(outputs: outputs, batch: batch)
    }

    /// These parameters laid out for inference (``PackedMLP``); this network's parameters start at
    /// `offset` in `parameters`.
    public func packed(_ parameters: [Scalar], offset: Int = 0) -> PackedMLP<Scalar> {
        PackedMLP(self, parameters: parameters, offset: offset)
    }

    /// Adds the gradient of a loss to `gradient`, given the loss's gradient with respect to
    /// the output (batch × outputSize) and the activations of the forward pass on `input`.
    /// This network's parameters and gradient start at `offset` in their arrays.
    public func backward(
        _ parameters: [Scalar], offset: Int = 0, input: [Scalar], activations: Activations, outputGradient: [Scalar],
        gradient: inout [Scalar]
    ) {
        let batch = activations.batch
        var delta = outputGradient  // gradient with respect to the current layer's pre-activation
        parameters.withUnsafeBufferPointer { p in
            gradient.withUnsafeMutableBufferPointer { g in
                for l in stride(from: layerCount - 1, through: 0, by: -1) {
                    let fanIn = sizes[l], fanOut = sizes[l + 1]
                    let previous = l == 0 ? input : activations.outputs[l - 1]
                    let weightGradient = g.baseAddress! + offset + weightOffsets[l]
                    let biasGradient = weightGradient + fanOut * fanIn
                    delta.withUnsafeBufferPointer { d in
                        previous.withUnsafeBufferPointer { x in
                            Scalar.gemm(
                                transposeA: true, transposeB: false, m: fanOut, n: fanIn, k: batch,
                                a: d.baseAddress!, lda: fanOut, b: x.baseAddress!, ldb: fanIn, accumulate: true,
                                c: weightGradient, ldc: fanIn)
                        }
                        addRows(d.baseAddress!, rows: batch, columns: fanOut, to: biasGradient)
                    }
                    guard l > 0 else { break }
                    var inputDelta = [Scalar](repeating: 0, count: batch * fanIn)
                    delta.withUnsafeBufferPointer { d in
                        inputDelta.withUnsafeMutableBufferPointer { dx in
                            Scalar.gemm(
                                transposeA: false, transposeB: false, m: batch, n: fanIn, k: fanOut,
                                a: d.baseAddress!, lda: fanOut, b: p.baseAddress! + offset + weightOffsets[l],
                                ldb: fanIn, accumulate: false, c: dx.baseAddress!, ldc: fanIn)
                        }
                    }
                    multiplyByTanhDerivative(&inputDelta, outputs: previous)
                    delta = inputDelta
                }
            }
        }
    }
}

/// An ``MLP``'s parameters laid out for inference, packed once and then shared read-only by any
/// number of threads: each layer's weights transposed to in × out, the layout the matrix product
/// reads (``MLP/forward(_:offset:input:batch:)`` has it copy them on every call), and its bias.
///
/// ``forward(_:batch:into:workspace:)`` gives each output the bits of ``MLP/forward(_:offset:input:batch:)``
/// on the same rows, whichever other rows are in the batch: the product computes every element
/// of a row from that row alone, in one fixed order (`CMatrix.h`), and tanh is elementwise.
public struct PackedMLP<Scalar: NetworkScalar>: Sendable {
    /// Layer widths, input first, output last.
    public let sizes: [Int]
    /// Per layer, its transposed weights (sizes[l] × sizes[l+1], row-major) then its bias.
    private let values: [Scalar]
    private let offsets: [Int]

    init(_ network: MLP<Scalar>, parameters: [Scalar], offset: Int) {
        sizes = network.sizes
        var values = [Scalar](repeating: 0, count: network.parameterCount)
        var offsets: [Int] = []
        var packedOffset = 0
        for l in 0..<network.layerCount {
            let fanIn = sizes[l], fanOut = sizes[l + 1]
            let source = offset + network.weightOffsets[l]
            offsets.append(packedOffset)
            for j in 0..<fanOut {
                for p in 0..<fanIn { values[packedOffset + p * fanOut + j] = parameters[source + j * fanIn + p] }
            }
            for j in 0..<fanOut { values[packedOffset + fanIn * fanOut + j] = parameters[source + fanOut * fanIn + j] }
            packedOffset += fanIn * fanOut + fanOut
        }
        self.values = values
        self.offsets = offsets
    }

    public var inputSize: Int { sizes[0] }
    public var outputSize: Int { sizes[sizes.count - 1] }

    /// Room for the hidden layers' outputs of up to `batch` rows (two layers' worth, used in
    /// turn); one per thread.
    public struct Workspace {
        fileprivate var hidden: [Scalar]
        fileprivate let half: Int
        public let batch: Int
    }

    /// A workspace for batches of up to `batch` rows.
    public func makeWorkspace(batch: Int) -> Workspace {
        let half = batch * (sizes.dropFirst().dropLast().max() ?? 0)
        return Workspace(hidden: [Scalar](repeating: 0, count: 2 * half), half: half, batch: batch)
    }

    /// Writes the outputs of `batch` rows of `input` (batch × inputSize, row-major) to `output`
    /// (batch × outputSize), using `workspace` for the hidden layers.
    public func forward(
        _ input: UnsafePointer<Scalar>, batch: Int, into output: UnsafeMutablePointer<Scalar>,
        workspace: inout Workspace
    ) {
        precondition(batch <= workspace.batch, "the workspace holds \(workspace.batch) rows, not \(batch)")
        let layerCount = sizes.count - 1
        let half = workspace.half
        values.withUnsafeBufferPointer { p in
            workspace.hidden.withUnsafeMutableBufferPointer { hidden in
                var previous = input
                for l in 0..<layerCount {
                    let fanIn = sizes[l], fanOut = sizes[l + 1]
                    let weights = p.baseAddress! + offsets[l]
                    let bias = weights + fanIn * fanOut
                    let z = l == layerCount - 1 ? output : hidden.baseAddress! + (l % 2) * half
                    fillRows(z, rows: batch, with: bias, columns: fanOut)
                    Scalar.gemm(
                        transposeA: false, transposeB: false, m: batch, n: fanOut, k: fanIn, a: previous, lda: fanIn,
                        b: weights, ldb: fanOut, accumulate: true, c: z, ldc: fanOut)
                    if l < layerCount - 1 {
                        Scalar.applyActivation(UnsafeMutableBufferPointer(start: z, count: batch * fanOut))
                    }
                    previous = UnsafePointer(z)
                }
            }
        }
    }
}

/// Copies `row` (`columns` values) into each of the first `rows` rows of `matrix` (row-major,
/// `columns` wide): the bias every layer's product then accumulates onto.
@inline(__always)
func fillRows<Scalar>(
    _ matrix: UnsafeMutablePointer<Scalar>, rows: Int, with row: UnsafePointer<Scalar>, columns: Int
) {
    for r in 0..<rows { (matrix + r * columns).update(from: row, count: columns) }
}

/// Adds the rows of `matrix` (`rows × columns`, row-major) to `sum` one row after another, so
/// each element of `sum` adds its terms in row order (a bias gradient).
@inline(__always)
func addRows<Scalar: NetworkScalar>(
    _ matrix: UnsafePointer<Scalar>, rows: Int, columns: Int, to sum: UnsafeMutablePointer<Scalar>
) {
    for r in 0..<rows {
        let source = matrix + r * columns
        for j in 0..<columns { sum[j] += source[j] }
    }
}

/// Multiplies each element of `gradient` by tanh's derivative at the same element of the
/// layer's `outputs` h: d/dz tanh(z) = 1 − h².
@inline(__always)
func multiplyByTanhDerivative<Scalar: NetworkScalar>(_ gradient: inout [Scalar], outputs: [Scalar]) {
    precondition(gradient.count == outputs.count, "a gradient and its layer's outputs differ in size")
    outputs.withUnsafeBufferPointer { h in
        gradient.withUnsafeMutableBufferPointer { g in
            for i in 0..<g.count { g[i] *= 1 - h[i] * h[i] }
        }
    }
}

/// A `rows × columns` matrix (row-major) with orthonormal rows or columns, scaled by `gain`,
/// from the QR decomposition of a standard normal matrix with the signs fixed by R's diagonal.
func orthogonalMatrix(rows: Int, columns: Int, gain: Double, random: inout RandomGenerator) -> [Double] {
    let tall = rows >= columns
    let n = tall ? rows : columns, k = tall ? columns : rows
    // k orthonormal vectors of length n by modified Gram–Schmidt on normal columns.
    var basis: [[Double]] = []
    for _ in 0..<k {
        var v = (0..<n).map { _ in random.standardNormal() }
        for q in basis {
            let projection = zip(v, q).reduce(0) { $0 + $1.0 * $1.1 }
            for i in 0..<n { v[i] -= projection * q[i] }
        }
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        basis.append(v.map { $0 / norm })
    }
    var matrix = [Double](repeating: 0, count: rows * columns)
    for r in 0..<rows {
        for c in 0..<columns {
            matrix[r * columns + c] = gain * (tall ? basis[c][r] : basis[r][c])
        }
    }
    return matrix
}

extension MLP {
    /// Jacobian-vector product: the directional derivative of the outputs (batch × outputSize)
    /// along `tangent`, a direction in this network's parameter space (laid out as its
    /// parameters, from index 0), at the parameters of the forward pass `activations` on `input`.
    ///
    /// Forward mode through the layers: with h₋₁ = x the input (which does not move),
    /// `ż_l = ḣ_{l−1}·W_lᵀ + h_{l−1}·Ẇ_lᵀ + ḃ_l` and `ḣ_l = (1 − h_l²)·ż_l` through tanh; the
    /// output is ż of the last (linear) layer. Two GEMMs per layer, like a forward pass.
    public func jacobianVectorProduct(
        _ parameters: [Scalar], input: [Scalar], activations: Activations, tangent: [Scalar]
    ) -> [Scalar] {
        let batch = activations.batch
        var previousTangent: [Scalar] = []  // ḣ of the previous layer; empty for the input
        parameters.withUnsafeBufferPointer { p in
            tangent.withUnsafeBufferPointer { t in
                for l in 0..<layerCount {
                    let fanIn = sizes[l], fanOut = sizes[l + 1]
                    let weightTangent = t.baseAddress! + weightOffsets[l]
                    let biasTangent = weightTangent + fanOut * fanIn
                    var zTangent = [Scalar](repeating: 0, count: batch * fanOut)
                    zTangent.withUnsafeMutableBufferPointer { z in
                        fillRows(z.baseAddress!, rows: batch, with: biasTangent, columns: fanOut)
                        let x = l == 0 ? input : activations.outputs[l - 1]
                        x.withUnsafeBufferPointer { x in
                            Scalar.gemm(
                                transposeA: false, transposeB: true, m: batch, n: fanOut, k: fanIn,
                                a: x.baseAddress!, lda: fanIn, b: weightTangent, ldb: fanIn, accumulate: true,
                                c: z.baseAddress!, ldc: fanOut)
                        }
                        if l > 0 {
                            previousTangent.withUnsafeBufferPointer { h in
                                Scalar.gemm(
                                    transposeA: false, transposeB: true, m: batch, n: fanOut, k: fanIn,
                                    a: h.baseAddress!, lda: fanIn, b: p.baseAddress! + weightOffsets[l], ldb: fanIn,
                                    accumulate: true, c: z.baseAddress!, ldc: fanOut)
                            }
                        }
                    }
                    if l < layerCount - 1 { multiplyByTanhDerivative(&zTangent, outputs: activations.outputs[l]) }
                    previousTangent = zTangent
                }
            }
        }
        return previousTangent
    }
}
