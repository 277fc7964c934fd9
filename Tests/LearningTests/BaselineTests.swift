import Environments
import Foundation
import Testing

@testable import Learning

/// A batch of `samples` real Hopper-v4 transitions collected with `agent`'s own stochastic policy
/// (raw observations, real rewards, GAE advantages from its critic), so that π_old is the
/// agent itself. The actor's parameters and the log-std are spread first (`spread` × N(0, 1)
/// added) so that every layer and every σ matters in the Fisher matrix.
func hopperProblem<Scalar: NetworkScalar>(
    _: Scalar.Type, actorHidden: [Int], samples: Int, seed: UInt64, spread: Double = 0.2
) throws
    -> (agent: ActorCritic<Scalar>, batch: Minibatch<Scalar>)
{
    let env = try EnvironmentRegistry.make("Hopper-v4")
    let obsSize = env.spec.observationSize, m = env.spec.actionSize
    var random = RandomGenerator(seed: seed)
    var agent = ActorCritic<Scalar>(
        observationSize: obsSize, actionSize: m, actorHidden: actorHidden, criticHidden: [16, 16], random: &random)
    for i in 0..<agent.criticOffset { agent.parameters[i] += Scalar(spread * random.standardNormal()) }
    var observation = env.reset(seed: seed)
    var observations: [Scalar] = [], actions: [Double] = [], means: [Double] = [], logProbabilities: [Double] = []
    var rewards: [Double] = [], ended: [Bool] = []
    let logStd = agent.logStd
    for _ in 0..<samples {
        let input = observation.map { Scalar($0) }
        let mean = agent.means(input, batch: 1).map(Double.init)
        let action = (0..<m).map { mean[$0] + Foundation.exp(logStd[$0]) * random.standardNormal() }
        observations += input
        means += mean
        actions += action
        logProbabilities.append(DiagonalGaussian.logProbability(action: action, mean: mean, logStd: logStd))
        let step = try env.step(action)
        rewards.append(step.reward)
        ended.append(step.terminated || step.truncated)
        observation = ended.last! ? env.reset() : step.observation
    }
    let values = agent.values(observations, batch: samples).map(Double.init)
    let bootstrap = Double(agent.values(observation.map { Scalar($0) }, batch: 1)[0])
    let gae = generalizedAdvantages(
        rewards: rewards, values: values, episodeEnded: ended, bootstrapValue: bootstrap, gamma: 0.99, lambda: 0.95)
    let batch = Minibatch<Scalar>(
        size: samples, observations: observations, actions: actions, oldLogProbabilities: logProbabilities,
        oldMeans: means, oldLogStd: logStd, advantages: gae.advantages, returns: gae.returns, oldValues: values)
    return (agent, batch)
}

/// F + λI formed explicitly: the actor's Jacobian J_s of every sample from one backward pass per
/// output (exact), F = blockdiag(mean_s J_sᵀ diag(1/σ²) J_s, 2·I) (row-major, policy parameters).
func explicitFisher(agent: ActorCritic<Double>, batch: Minibatch<Double>, damping: Double) -> [Double] {
    let p = agent.actor.parameterCount, m = agent.actionSize, n = batch.size, d = agent.criticOffset
    let pass = agent.actor.forward(agent.parameters, input: batch.observations, batch: n)
    let inverseVariance = agent.logStd.map { Foundation.exp(-2 * $0) }
    var fisher = [Double](repeating: 0, count: d * d)
    for s in 0..<n {
        for j in 0..<m {
            var outputGradient = [Double](repeating: 0, count: n * m)
            outputGradient[s * m + j] = 1
            var row = [Double](repeating: 0, count: p)
            agent.actor.backward(
                agent.parameters, input: batch.observations, activations: pass, outputGradient: outputGradient,
                gradient: &row)
            let weight = inverseVariance[j] / Double(n)
            for a in 0..<p where row[a] != 0 { for b in 0..<p { fisher[a * d + b] += weight * row[a] * row[b] } }
        }
    }
    for j in p..<d { fisher[j * d + j] = 2 }
    for i in 0..<d { fisher[i * d + i] += damping }
    return fisher
}

func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }

@Suite("TRPO and natural-gradient machinery")
struct NaturalGradientTests {
    @Test("Fisher-vector products equal F·v with F formed explicitly, to 1e-5 relative", arguments: [0.0, 0.1])
    func fisherVectorProduct(damping: Double) throws {
        let (agent, batch) = try hopperProblem(Double.self, actorHidden: [6, 5], samples: 20, seed: 4)
        #expect(Set(agent.logStd).count == agent.actionSize, "the σ_j must differ")
        let d = agent.criticOffset
        let fisher = explicitFisher(agent: agent, batch: batch, damping: damping)
        let product = FisherVectorProduct(agent: agent, batch: batch, damping: damping)
        #expect(product.dimension == d)
        var random = RandomGenerator(seed: 11)
        for _ in 0..<3 {
            let v = (0..<d).map { _ in random.standardNormal() }
            let expected = (0..<d).map { i in (0..<d).reduce(0.0) { $0 + fisher[i * d + $1] * v[$1] } }
            let error = norm(zip(product(v), expected).map { $0 - $1 }) / norm(expected)
            #expect(error < 1e-5, "relative error \(error)")
        }
    }

    @Test("sharded Fisher-vector products and surrogates equal the whole batch's, bit for bit whatever the pool's size")
    func sharded() throws {
        let (agent, batch) = try hopperProblem(Double.self, actorHidden: [8, 8], samples: 33, seed: 12)
        var random = RandomGenerator(seed: 4)
        let v = (0..<agent.criticOffset).map { _ in random.standardNormal() }
        let whole = FisherVectorProduct(agent: agent, batch: batch, damping: 0.1)(v)
        let one = FisherVectorProduct(agent: agent, batch: batch, damping: 0.1, pool: WorkerPool(workers: 1))(v)
        let two = FisherVectorProduct(agent: agent, batch: batch, damping: 0.1, pool: WorkerPool(workers: 2))(v)
        #expect(one == two)
        #expect(norm(zip(one, whole).map { $0 - $1 }) / norm(whole) < 1e-12)
        let advantages = normalizedAdvantages(batch.advantages)
        var moved = agent
        moved.setPolicyParameters(base: agent.parameters, step: v, fraction: 0.01)
        let single = moved.surrogate(batch, advantages: advantages, withGradient: true)
        let pooled = moved.surrogate(batch, advantages: advantages, withGradient: true, pool: WorkerPool(workers: 2))
        let pooledOne = moved.surrogate(batch, advantages: advantages, withGradient: true, pool: WorkerPool(workers: 1))
        #expect(
            pooled.gradient == pooledOne.gradient && pooled.surrogate == pooledOne.surrogate
                && pooled.meanKL == pooledOne.meanKL)
        #expect(abs(pooled.surrogate - single.surrogate) < 1e-12 && abs(pooled.meanKL - single.meanKL) < 1e-12)
        #expect(pooled.maxKL == single.maxKL && pooled.maxRatioDeviation == single.maxRatioDeviation)
        #expect(norm(zip(pooled.gradient, single.gradient).map { $0 - $1 }) / norm(single.gradient) < 1e-12)
    }

    @Test("the surrogate's gradient equals central differences")
    func surrogateGradient() throws {
        let (agent, batch) = try hopperProblem(Double.self, actorHidden: [6, 5], samples: 12, seed: 13)
        var random = RandomGenerator(seed: 2)
        var moved = agent
        moved.setPolicyParameters(
            base: agent.parameters, step: (0..<agent.criticOffset).map { _ in random.standardNormal() }, fraction: 0.05)
        let advantages = normalizedAdvantages(batch.advantages)
        let analytic = moved.surrogate(batch, advantages: advantages, withGradient: true).gradient
        let h = 1e-6
        var worst = 0.0
        for i in 0..<agent.criticOffset {
            var plus = moved, minus = moved
            plus.parameters[i] += h
            minus.parameters[i] -= h
            let numeric =
                (plus.surrogate(batch, advantages: advantages, withGradient: false).surrogate
                    - minus.surrogate(batch, advantages: advantages, withGradient: false).surrogate) / (2 * h)
            worst = max(worst, abs(numeric - analytic[i]) / max(1e-6, abs(numeric) + abs(analytic[i])))
        }
        #expect(worst < 1e-5, "relative error \(worst)")
    }

    @Test("the Jacobian-vector product equals central differences of the actor's means")
    func jacobianVectorProduct() throws {
        let (agent, batch) = try hopperProblem(Double.self, actorHidden: [7, 6], samples: 5, seed: 2)
        let actor = agent.actor
        var random = RandomGenerator(seed: 5)
        let tangent = (0..<actor.parameterCount).map { _ in random.standardNormal() }
        let pass = actor.forward(agent.parameters, input: batch.observations, batch: batch.size)
        let jvp = actor.jacobianVectorProduct(
            agent.parameters, input: batch.observations, activations: pass, tangent: tangent)
        let h = 1e-6
        var plus = agent.parameters, minus = agent.parameters
        for i in tangent.indices { plus[i] += h * tangent[i]; minus[i] -= h * tangent[i] }
        let numeric = zip(
            actor.forward(plus, input: batch.observations, batch: batch.size).output,
            actor.forward(minus, input: batch.observations, batch: batch.size).output
        ).map { ($0 - $1) / (2 * h) }
        let error = norm(zip(jvp, numeric).map { $0 - $1 }) / norm(numeric)
        #expect(error < 1e-7, "relative error \(error)")
    }

    @Test("½ΔθᵀFΔθ matches the measured mean KL of a small step")
    func quadraticKL() throws {
        let (agent, batch) = try hopperProblem(Double.self, actorHidden: [64, 64], samples: 64, seed: 6)
        let product = FisherVectorProduct(agent: agent, batch: batch, damping: 0)
        var random = RandomGenerator(seed: 3)
        for size in [1e-2, 1e-3] {
            let direction = (0..<product.dimension).map { _ in random.standardNormal() }
            let step = direction.map { $0 * size / norm(direction) }
            var moved = agent
            moved.setPolicyParameters(base: agent.parameters, step: step, fraction: 1)
            let kls = moved.klDivergences(batch)
            let measured = kls.reduce(0, +) / Double(kls.count)
            let quadratic = 0.5 * dot(step, product(step))
            #expect(measured > 0)
            #expect(
                abs(quadratic - measured) / measured < 10 * size,
                "step \(size): ½ΔᵀFΔ \(quadratic), measured \(measured)")
        }
    }

    @Test("conjugate gradient solves known SPD systems")
    func conjugateGradient() {
        var random = RandomGenerator(seed: 9)
        let n = 12
        // A = MᵀM/n + I, a dense SPD matrix, and b = A·x* for a known x*.
        let mMatrix = (0..<(n * n)).map { _ in random.standardNormal() }
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                a[i * n + j] = (0..<n).reduce(i == j ? 1.0 : 0.0) {
                    $0 + mMatrix[$1 * n + i] * mMatrix[$1 * n + j] / Double(n)
                }
            }
        }
        let multiply = { (v: [Double]) in (0..<n).map { i in (0..<n).reduce(0.0) { $0 + a[i * n + $1] * v[$1] } } }
        let known = (0..<n).map { _ in random.standardNormal() }
        let b = multiply(known)
        let dense = ConjugateGradient(iterations: 2 * n, tolerance: 1e-26).solve(b, product: multiply)
        #expect(norm(zip(dense.solution, known).map { $0 - $1 }) / norm(known) < 1e-8)
        // Fewer iterations leave an error whose A-norm shrinks with every iteration (CG's optimality).
        let errors = (1...4).map { k in
            let e = zip(ConjugateGradient(iterations: k).solve(b, product: multiply).solution, known).map { $0 - $1 }
            return dot(e, multiply(e))
        }
        #expect(zip(errors, errors.dropFirst()).allSatisfy { $1 < $0 })
        // A diagonal with three distinct eigenvalues: exact after three iterations.
        let diagonal = (0..<n).map { [1.0, 4.0, 9.0][$0 % 3] }
        let three = ConjugateGradient(iterations: 10, tolerance: 1e-24).solve(b) { v in zip(diagonal, v).map { $0 * $1 }
        }
        #expect(three.iterations == 3)
        for i in 0..<n { #expect(abs(three.solution[i] - b[i] / diagonal[i]) < 1e-10) }
    }

    @Test(
        """
        the line search rejects a step beyond the KL bound, backtracks into it, \
        and rejects a step that does not improve
        """
    )
    func lineSearch() throws {
        let (agent, batch) = try hopperProblem(Double.self, actorHidden: [64, 64], samples: 256, seed: 8)
        let advantages = normalizedAdvantages(batch.advantages)
        let natural = NaturalGradientDirection(
            agent: agent, batch: batch, advantages: advantages, damping: 0.1, solver: ConjugateGradient())
        let delta = 0.01
        // A step whose quadratic KL estimate is 8δ.
        let step = natural.direction.map { $0 * (16 * delta / natural.curvature).squareRoot() }
        var trial = agent
        func evaluate(_ step: [Double]) -> (Double) -> (surrogate: Double, meanKL: Double) {
            { fraction in
                trial.setPolicyParameters(base: agent.parameters, step: step, fraction: fraction)
                let e = trial.surrogate(batch, advantages: advantages, withGradient: false)
                return (e.surrogate, e.meanKL)
            }
        }
        let full = evaluate(step)(1)
        #expect(full.meanKL > delta, "the full step must violate the bound (KL \(full.meanKL))")
        let search = BacktrackingLineSearch(maxKL: delta)
        let outcome = search.search(baseline: natural.surrogate, evaluate: evaluate(step))
        #expect(outcome.accepted && outcome.backtracks >= 1)
        #expect(outcome.fraction == Foundation.pow(0.5, Double(outcome.backtracks)))
        #expect(outcome.meanKL <= delta && outcome.surrogate > natural.surrogate)
        // The independent KL of the accepted parameters.
        trial.setPolicyParameters(base: agent.parameters, step: step, fraction: outcome.fraction)
        let kls = trial.klDivergences(batch)
        #expect(abs(kls.reduce(0, +) / Double(kls.count) - outcome.meanKL) < 1e-12)
        // One try only: the violating full step is rejected.
        let once = BacktrackingLineSearch(maxKL: delta, tries: 1).search(
            baseline: natural.surrogate, evaluate: evaluate(step))
        #expect(!once.accepted && once.backtracks == -1 && once.fraction == 0)
        // Against the gradient the surrogate only gets worse: rejected at every fraction.
        let downhill = search.search(baseline: natural.surrogate, evaluate: evaluate(step.map { -$0 }))
        #expect(!downhill.accepted)
    }

    @Test("a TRPO update on real Hopper data improves the surrogate within mean KL ≤ δ and trains the critic")
    func trpoStep() throws {
        var (agent, batch) = try hopperProblem(Float.self, actorHidden: [64, 64], samples: 512, seed: 7, spread: 0)
        var configuration = TrainingConfiguration()
        configuration.algorithm = "trpo"
        configuration.environments = 1
        configuration.horizon = 512
        configuration.epochs = 2
        let before = agent
        var rule = try #require(Algorithms.make("trpo", configuration: configuration, agent: agent) as? TRPOUpdate)
        #expect(
            rule.maxKL == 0.01 && rule.damping == 0.1 && rule.solver.iterations == 10 && rule.lineSearch.tries == 10)
        var metrics = UpdateMetrics()
        var random = RandomGenerator(seed: 1)
        rule.update(
            agent: &agent, batch: batch, context: UpdateContext(configuration: configuration, learningRate: 3e-4),
            random: &random, metrics: &metrics)
        let kls = agent.klDivergences(batch)
        let meanKL = kls.reduce(0, +) / Double(kls.count)
        #expect(metrics.lineSearch >= 0)
        #expect(meanKL <= 0.01 && meanKL > 0.001, "mean KL \(meanKL)")
        #expect(abs(meanKL - metrics.meanKL) < 1e-9)
        let advantages = normalizedAdvantages(batch.advantages)
        #expect(
            agent.surrogate(batch, advantages: advantages, withGradient: false).surrogate
                > before.surrogate(batch, advantages: advantages, withGradient: false).surrogate)
        #expect(metrics.stepSize > 0 && metrics.conjugateGradientResidual < 0.5)
        #expect(metrics.minibatchesRun == 8 && rule.state.optimizer.step == 8)
        #expect(agent.parameters[agent.criticOffset...] != before.parameters[agent.criticOffset...])
    }

    @Test("TRPO in training keeps every accepted update's mean KL ≤ δ; the new settings are validated")
    func trpoTraining() throws {
        var configuration = TrainerTests.smallConfiguration(workers: 1, algorithm: "trpo")
        configuration.trustRegionDelta = 0.005
        let trainer = try Trainer(configuration: configuration)
        while !trainer.isFinished {
            let metrics = try trainer.step { _ in }
            #expect(metrics.lineSearch >= 0 && metrics.lineSearch < 10)
            #expect(metrics.meanKL <= 0.005 && metrics.meanKL > 0)
            #expect(metrics.ratioDeviation > 0 && metrics.stepSize > 0)
        }
        var invalid = TrainingConfiguration()
        invalid.algorithm = "trpo"
        invalid.fisherDamping = -1
        invalid.conjugateGradientIterations = 0
        invalid.lineSearchTries = 0
        invalid.naturalGradientStepSize = 0
        let problems = invalid.problems()
        for field in [
            "fisherDamping must not be negative, got -1.0", "conjugateGradientIterations must be at least 1, got 0",
            "lineSearchTries must be at least 1, got 0", "naturalGradientStepSize must be positive, got 0.0",
        ] {
            #expect(problems.contains(field), "missing: \(field)")
        }
    }

    @Test("npg, a2c and reinforce train; the single-step methods log KL after their step; reinforce uses λ = 1")
    func singleStepMethods() throws {
        for algorithm in ["npg", "a2c", "reinforce"] {
            let (updates, _, trainer) = try TrainerTests.run(
                TrainerTests.smallConfiguration(workers: 1, algorithm: algorithm))
            #expect(updates.count == 3)
            let columns = UpdateMetrics.csvHeader.split(separator: ",").map(String.init)
            for row in updates {
                let values = Dictionary(uniqueKeysWithValues: zip(columns, row.split(separator: ",").map(String.init)))
                #expect(Double(values["kl"]!)! > 0, "\(algorithm): \(row)")
                #expect(values["line_search"] == "nan")
                #expect((values["step_size"] == "nan") == (algorithm != "npg"))
            }
            #expect(trainer.agent.parameters.allSatisfy { $0.isFinite })
        }
        var random = RandomGenerator(seed: 0)
        let agent = ActorCritic<Float>(
            observationSize: 3, actionSize: 1, actorHidden: [4], criticHidden: [4], random: &random)
        #expect(
            Algorithms.make("reinforce", configuration: TrainingConfiguration(), agent: agent)?.advantageLambda == 1)
        #expect(Algorithms.make("a2c", configuration: TrainingConfiguration(), agent: agent)?.advantageLambda == nil)
        #expect(Algorithms.names == PolicyObjectives.names + ["trpo", "npg", "a2c", "reinforce"])
    }
}
