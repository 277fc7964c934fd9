import Environments
import Foundation
import Testing

@testable import Learning

extension ActorCritic {
    /// The per-sample KL(π_old ‖ π_θ) of a minibatch under the current parameters.
    func klDivergences(_ batch: Minibatch<Scalar>) -> [Double] {
        let means = self.means(batch.observations, batch: batch.size)
        let m = actionSize
        return (0..<batch.size).map { i in
            DiagonalGaussian.kl(
                mean1: Array(batch.oldMeans[(i * m)..<((i + 1) * m)]), logStd1: batch.oldLogStd,
                mean2: (0..<m).map { Double(means[i * m + $0]) }, logStd2: logStd)
        }
    }
}

/// A minibatch where the current policy differs from the old one, so ratios and KLs spread widely.
func perturbedProblem(
    actorHidden: [Int], observationSize: Int = 4, actionSize: Int = 2, size: Int = 24, seed: UInt64 = 3
)
    -> (agent: ActorCritic<Double>, batch: Minibatch<Double>)
{
    var random = RandomGenerator(seed: seed)
    let old = ActorCritic<Double>(
        observationSize: observationSize, actionSize: actionSize, actorHidden: actorHidden, criticHidden: [6, 5],
        random: &random)
    var agent = old
    for i in agent.parameters.indices { agent.parameters[i] += 0.15 * random.standardNormal() }
    let observations = (0..<(size * observationSize)).map { _ in random.standardNormal() }
    let oldMeans = old.means(observations, batch: size)
    let oldLogStd = old.logStd
    var actions: [Double] = [], oldLogProbabilities: [Double] = []
    for i in 0..<size {
        let mean = Array(oldMeans[(i * actionSize)..<((i + 1) * actionSize)])
        let action = mean.enumerated().map { $1 + Foundation.exp(oldLogStd[$0]) * random.standardNormal() }
        actions += action
        oldLogProbabilities.append(DiagonalGaussian.logProbability(action: action, mean: mean, logStd: oldLogStd))
    }
    let batch = Minibatch<Double>(
        size: size, observations: observations, actions: actions, oldLogProbabilities: oldLogProbabilities,
        oldMeans: oldMeans, oldLogStd: oldLogStd,
        advantages: (0..<size).map { _ in random.standardNormal() },
        returns: (0..<size).map { _ in random.standardNormal() },
        oldValues: old.values(observations, batch: size)
    )
    return (agent, batch)
}

/// An objective whose value is another's differentiable surrogate, so that central differences
/// of the loss check the gradient the objective implements (also where it stops a gradient).
struct SurrogateObjective: PolicyObjective {
    let base: any PolicyObjective
    var name: String { base.name }
    func evaluate(ratio r: Double, kl d: Double, advantage a: Double, firstMinibatch: Bool) -> (
        value: Double, dRatio: Double, dKL: Double
    ) {
        let e = base.evaluate(ratio: r, kl: d, advantage: a, firstMinibatch: firstMinibatch)
        return (base.surrogate(ratio: r, kl: d, advantage: a, firstMinibatch: firstMinibatch), e.dRatio, e.dKL)
    }
    func isTriggered(ratio r: Double, kl d: Double, advantage a: Double) -> Bool {
        base.isTriggered(ratio: r, kl: d, advantage: a)
    }
}

/// Compares the analytic gradient with central differences on `indices` and returns the worst relative error.
func worstGradientError(
    agent: ActorCritic<Double>, batch: Minibatch<Double>, objective base: any PolicyObjective, settings: LossSettings,
    indices: [Int]
) -> Double {
    let objective = SurrogateObjective(base: base)
    let analytic = agent.loss(batch, objective: objective, settings: settings, firstMinibatch: false).gradient
    var worst = 0.0
    let h = 1e-6
    for i in indices {
        var plus = agent, minus = agent
        plus.parameters[i] += h
        minus.parameters[i] -= h
        let numeric =
            (plus.loss(batch, objective: objective, settings: settings, firstMinibatch: false).loss
                - minus.loss(batch, objective: objective, settings: settings, firstMinibatch: false).loss) / (2 * h)
        worst = max(worst, abs(numeric - analytic[i]) / max(1e-6, abs(numeric) + abs(analytic[i])))
    }
    return worst
}

@Suite("Gradients against central finite differences")
struct GradientTests {
    /// Every registered objective, with its KL thresholds at `maxKL` so that triggers split the batch.
    static func objectives(maxKL: Double) -> [any PolicyObjective] {
        var configuration = TrainingConfiguration()
        configuration.klLimit = maxKL
        configuration.trustRegionDelta = maxKL
        return PolicyObjectives.names.map { PolicyObjectives.make($0, configuration: configuration)! }
    }

    @Test("every objective, the clipped value loss and the entropy term, through the whole actor and critic")
    func smallNetwork() {
        let (agent, batch) = perturbedProblem(actorHidden: [5, 4])
        let kls = agent.klDivergences(batch).sorted()
        // Halfway between two samples' KLs, so that no sample sits on SPO-KL's kink at d = d_max.
        let medianKL = (kls[kls.count / 2 - 1] + kls[kls.count / 2]) / 2
        #expect(kls.first! < medianKL && medianKL < kls.last!, "the KL thresholds must split the batch")
        let ratios = agent.loss(batch, objective: PPOClipObjective(), settings: LossSettings(), firstMinibatch: false)
        #expect(
            ratios.clipFraction > 0 && ratios.clipFraction < 1, "the clip must hold for some samples and not others")
        var settings = LossSettings()
        settings.entropyCoefficient = 0.01
        for objective in Self.objectives(maxKL: medianKL) {
            let triggered = agent.loss(batch, objective: objective, settings: settings, firstMinibatch: false)
                .triggerFraction
            #expect(
                objective.name == "ppo-penalty" || (triggered > 0 && triggered < 1),
                "\(objective.name): its trigger must hold for some samples and not others (\(triggered))")
            for clipValue in [true, false] {
                settings.clipValueLoss = clipValue
                let error = worstGradientError(
                    agent: agent, batch: batch, objective: objective, settings: settings,
                    indices: Array(agent.parameters.indices))
                #expect(error < 1e-5, "\(objective.name), value clipping \(clipValue): relative error \(error)")
            }
        }
    }

    @Test("the 7-layer actor (256-256-128-128-64-64)")
    func deepActor() {
        let (agent, batch) = perturbedProblem(
            actorHidden: [256, 256, 128, 128, 64, 64], observationSize: 11, actionSize: 3, size: 16)
        var random = RandomGenerator(seed: 8)
        let layerStarts = agent.actor.weightOffsets + [agent.logStdOffset, agent.logStdOffset + 1, agent.criticOffset]
        let sampled = (0..<40).map { _ in Int(random.next() % UInt64(agent.parameters.count)) }
        let kls = agent.klDivergences(batch).sorted()
        var settings = LossSettings()
        settings.entropyCoefficient = 0.01
        for objective in Self.objectives(maxKL: (kls[kls.count / 2 - 1] + kls[kls.count / 2]) / 2) {
            let error = worstGradientError(
                agent: agent, batch: batch, objective: objective, settings: settings, indices: layerStarts + sampled)
            #expect(error < 1e-4, "\(objective.name): relative error \(error)")
        }
    }

    @Test("Float and Double networks agree")
    func floatMatchesDouble() {
        let (agent, batch) = perturbedProblem(actorHidden: [64, 64], observationSize: 11, actionSize: 3)
        let doubleMeans = agent.means(batch.observations, batch: batch.size)
        var random = RandomGenerator(seed: 0)
        var single = ActorCritic<Float>(
            observationSize: 11, actionSize: 3, actorHidden: [64, 64], criticHidden: [6, 5], random: &random)
        single.parameters = agent.parameters.map { Float($0) }
        let floatMeans = single.means(batch.observations.map { Float($0) }, batch: batch.size)
        let worst = zip(doubleMeans, floatMeans).map { abs($0 - Double($1)) }.max()!
        #expect(worst < 1e-4)
    }
}

@Suite("Objectives and the Gaussian policy")
struct ObjectiveTests {
    @Test("SPO's per-sample objective peaks at r = 1 + sign(Â)·ε and keeps its gradient outside the band")
    func spoPeak() {
        let spo = SPOObjective(epsilon: 0.2)
        for advantage in [1.3, -0.7] {
            let grid = stride(from: 0.5, through: 1.5, by: 0.0001).map { $0 }
            let best = grid.max {
                spo.evaluate(ratio: $0, kl: 0, advantage: advantage, firstMinibatch: false).value
                    < spo.evaluate(ratio: $1, kl: 0, advantage: advantage, firstMinibatch: false).value
            }!
            let peak = 1 + (advantage > 0 ? 0.2 : -0.2)
            #expect(abs(best - peak) < 1e-3)
            #expect(abs(spo.evaluate(ratio: peak, kl: 0, advantage: advantage, firstMinibatch: false).dRatio) < 1e-12)
            for r in [0.6, 1.4] {
                #expect(spo.evaluate(ratio: r, kl: 0, advantage: advantage, firstMinibatch: false).dRatio != 0)
            }
        }
        // Beyond the peak the gradient points back to it.
        #expect(spo.evaluate(ratio: 1.4, kl: 0, advantage: 1, firstMinibatch: false).dRatio < 0)
        #expect(spo.evaluate(ratio: 0.6, kl: 0, advantage: -1, firstMinibatch: false).dRatio > 0)
    }

    @Test("PPO-Clip's gradient is exactly zero where the clip holds")
    func ppoClipGradient() {
        let ppo = PPOClipObjective(epsilon: 0.2)
        #expect(ppo.evaluate(ratio: 1.3, kl: 0, advantage: 1, firstMinibatch: false).dRatio == 0)
        #expect(ppo.evaluate(ratio: 0.7, kl: 0, advantage: -1, firstMinibatch: false).dRatio == 0)
        #expect(ppo.evaluate(ratio: 0.7, kl: 0, advantage: 1, firstMinibatch: false).dRatio == 1)
        #expect(ppo.evaluate(ratio: 1.1, kl: 0, advantage: -2, firstMinibatch: false).dRatio == -2)
    }

    @Test("SPO-KL's factor is 1 within d_max, d_max/d for Â > 0 and 2 − d_max/d for Â < 0 beyond")
    func spoKLFactor() {
        let objective = SPOKLObjective(maxKL: 0.02)
        let r = 1.1
        #expect(objective.evaluate(ratio: r, kl: 0.01, advantage: 2, firstMinibatch: false).value == r * 2)
        #expect(
            abs(
                objective.evaluate(ratio: r, kl: 0.05, advantage: 2, firstMinibatch: false).value - r * 2
                    * (0.02 / 0.05)) < 1e-15)
        #expect(
            abs(
                objective.evaluate(ratio: r, kl: 0.05, advantage: -2, firstMinibatch: false).value - r * -2
                    * (2 - 0.02 / 0.05)) < 1e-15)
        #expect(objective.evaluate(ratio: r, kl: 0.05, advantage: 2, firstMinibatch: true).value == r * 2)
    }

    @Test("PPO-Penalty's β doubles and halves at the thresholds; PPO-EarlyStop stops above its threshold")
    func adaptiveObjectives() {
        var penalty = PPOPenaltyObjective(klTarget: 0.02, initialBeta: 1)
        penalty.observe(meanKL: 0.031)
        #expect(penalty.beta == 2)
        penalty.observe(meanKL: 0.025)
        #expect(penalty.beta == 2)
        penalty.observe(meanKL: 0.013)
        #expect(penalty.beta == 1)
        let early = PPOEarlyStopObjective(klThreshold: 0.02)
        #expect(early.allowsStep(meanKL: 0.019))
        #expect(!early.allowsStep(meanKL: 0.021))
    }

    @Test("log-probability, entropy and KL match closed forms and Monte Carlo estimates")
    func gaussian() {
        let mean = [0.3, -1.2], logStd = [-0.5, 0.4]
        let action = [0.1, 0.7]
        var expected = 0.0
        for j in 0..<2 {
            let sigma = Foundation.exp(logStd[j])
            expected += Foundation.log(
                Foundation.exp(-(action[j] - mean[j]) * (action[j] - mean[j]) / (2 * sigma * sigma))
                    / (sigma * (2 * Double.pi).squareRoot()))
        }
        #expect(abs(DiagonalGaussian.logProbability(action: action, mean: mean, logStd: logStd) - expected) < 1e-12)

        var random = RandomGenerator(seed: 1)
        let otherMean = [0.1, -0.9], otherLogStd = [-0.3, 0.2]
        var entropyEstimate = 0.0, klEstimate = 0.0
        let samples = 200_000
        for _ in 0..<samples {
            let x = (0..<2).map { mean[$0] + Foundation.exp(logStd[$0]) * random.standardNormal() }
            let logP = DiagonalGaussian.logProbability(action: x, mean: mean, logStd: logStd)
            entropyEstimate -= logP / Double(samples)
            klEstimate +=
                (logP - DiagonalGaussian.logProbability(action: x, mean: otherMean, logStd: otherLogStd))
                / Double(samples)
        }
        #expect(abs(DiagonalGaussian.entropy(logStd: logStd) - entropyEstimate) < 0.01)
        #expect(
            abs(DiagonalGaussian.kl(mean1: mean, logStd1: logStd, mean2: otherMean, logStd2: otherLogStd) - klEstimate)
                < 0.01)
        #expect(DiagonalGaussian.kl(mean1: mean, logStd1: logStd, mean2: mean, logStd2: logStd) == 0)
    }

    @Test("the registry knows every algorithm")
    func registry() {
        #expect(
            PolicyObjectives.names == [
                "spo", "ppo", "ppo-penalty", "ppo-earlystop", "spo-kl", "ppo-rb", "tr-ppo", "tr-ppo-rb", "truly-ppo",
            ])
        #expect(PolicyObjectives.make("ppo")?.name == "ppo")
        #expect(PolicyObjectives.make("trpo") == nil)
    }
}

@Suite("Fast float tanh")
struct FastTanhTests {
    @Test("agrees with the double-precision tanh to a few float ulps over the whole range")
    func accuracy() {
        var worst: Float = 0
        var x: Float = -12
        while x <= 12 {
            let exact = Foundation.tanh(Double(x))
            let error = abs(Double(Float.activation(x)) - exact) / max(abs(exact), 1e-30)
            worst = max(worst, Float(error))
            x += 0.000_37
        }
        #expect(worst < 5e-7)
        #expect(
            Float.activation(0) == 0 && Float.activation(-0.0).sign == .minus && Float.activation(20) == 1
                && Float.activation(-20) == -1)
    }

    @Test("a layer's vectorised pass gives each element the bits of the one-element call")
    func vectorisedPass() {
        var random = RandomGenerator(seed: 3)
        let special: [Float] = [0, -0.0, 0.2, -0.2, 0.199_999_99, 10, -10, 1e-30, .infinity, -.infinity, .nan]
        let values = special + (0..<1001).map { _ in Float(random.standardNormal() * 4) }
        var layer = values
        layer.withUnsafeMutableBufferPointer { Float.applyActivation($0) }
        #expect(layer.map(\.bitPattern) == values.map { Float.activation($0).bitPattern })
        #expect(layer[8] == 1 && layer[9] == -1 && layer[10].isNaN)
    }
}

@Suite("Sharded update")
struct ShardedLossTests {
    @Test("the loss split into shards equals the whole minibatch's, whatever the pool's size")
    func shards() {
        let (agent, batch) = perturbedProblem(actorHidden: [8, 8], size: 33)
        var settings = LossSettings()
        settings.entropyCoefficient = 0.01
        let whole = agent.loss(batch, objective: SPOObjective(), settings: settings, firstMinibatch: false)
        let sharded = agent.loss(
            batch, objective: SPOObjective(), settings: settings, firstMinibatch: false, pool: WorkerPool(workers: 2))
        let serialShards = agent.loss(
            batch, objective: SPOObjective(), settings: settings, firstMinibatch: false, pool: WorkerPool(workers: 1))
        #expect(abs(whole.loss - sharded.loss) < 1e-12)
        #expect(abs(whole.maxRatioDeviation - sharded.maxRatioDeviation) < 1e-15)
        #expect(zip(whole.gradient, sharded.gradient).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(sharded.gradient == serialShards.gradient && sharded.loss == serialShards.loss)
    }
}

@Suite("The Truly PPO family")
struct TrulyPPOFamilyTests {
    @Test("each equals r·Â where its trigger does not hold")
    func plainOutsideTrigger() {
        let objectives: [any PolicyObjective] = [
            PPORollbackObjective(), TRPPOObjective(), TRPPORollbackObjective(), TrulyPPOObjective(),
        ]
        for objective in objectives {
            for (r, d, a) in [(1.1, 0.01, 1.5), (0.9, 0.001, -0.5), (1.5, 0.0, -2.0), (0.5, 0.01, 2.0)] {
                #expect(
                    !objective.isTriggered(ratio: r, kl: d, advantage: a),
                    "\(objective.name) at r \(r), d \(d), Â \(a)"
                )
                let e = objective.evaluate(ratio: r, kl: d, advantage: a, firstMinibatch: false)
                #expect(e.value == r * a && e.dRatio == a && e.dKL == 0, "\(objective.name)")
            }
        }
    }

    @Test("TR-PPO's gradient is exactly zero where its trigger holds")
    func trPPOStops() {
        let objective = TRPPOObjective(delta: 0.035)
        for (r, a) in [(1.3, 1.0), (0.7, -1.0)] {
            #expect(objective.isTriggered(ratio: r, kl: 0.04, advantage: a))
            let e = objective.evaluate(ratio: r, kl: 0.04, advantage: a, firstMinibatch: false)
            #expect(e.value == r * a && e.dRatio == 0 && e.dKL == 0)
        }
        // Leaving the trust region in the direction that lowers the objective does not trigger.
        #expect(!objective.isTriggered(ratio: 0.7, kl: 0.04, advantage: 1))
    }

    @Test("the rollback slopes give gradients of the documented sign")
    func rollbackSigns() {
        let rb = PPORollbackObjective(epsilon: 0.2, slope: -0.3)
        let up = rb.evaluate(ratio: 1.4, kl: 0, advantage: 2, firstMinibatch: false)
        #expect(up.dRatio == -0.6)  // s·Â < 0 pushes r back down
        #expect(abs(up.value - (-0.3 * 1.4 + 1.3 * 1.2) * 2) < 1e-15)
        #expect(rb.evaluate(ratio: 0.6, kl: 0, advantage: -2, firstMinibatch: false).dRatio == 0.6)  // pushes r back up
        let trrb = TRPPORollbackObjective(delta: 0.03, slope: -0.05)
        let e = trrb.evaluate(ratio: 1.3, kl: 0.05, advantage: 1, firstMinibatch: false)
        #expect(e.value == 1.3 && e.dRatio == -0.05)
        let truly = TrulyPPOObjective(delta: 0.03, scale: 1, slope: -5)
        let t = truly.evaluate(ratio: 1.3, kl: 0.05, advantage: 1, firstMinibatch: false)
        #expect(t.value == 1.3 - 5 * 0.05 && t.dRatio == 1 && t.dKL == -5)  // the KL term pulls back
    }

    @Test("the authors' per-task defaults apply when the configuration gives none")
    func perTaskDefaults() throws {
        var configuration = TrainingConfiguration()
        configuration.task = "Humanoid-v4"
        let rb = try #require(PolicyObjectives.make("ppo-rb", configuration: configuration) as? PPORollbackObjective)
        #expect(rb.slope == -0.02)
        let tr = try #require(PolicyObjectives.make("tr-ppo", configuration: configuration) as? TRPPOObjective)
        #expect(tr.delta == 0.05)
        let truly = try #require(PolicyObjectives.make("truly-ppo", configuration: configuration) as? TrulyPPOObjective)
        #expect(truly.delta == 0.05 && truly.scale == 0 && truly.slope == -0.4)
        configuration.task = "Hopper-v4"
        let hopperTruly = try #require(
            PolicyObjectives.make("truly-ppo", configuration: configuration) as? TrulyPPOObjective)
        #expect(hopperTruly.delta == 0.03 && hopperTruly.scale == 1 && hopperTruly.slope == -5)
        configuration.rollbackSlope = -0.1
        let given = try #require(PolicyObjectives.make("ppo-rb", configuration: configuration) as? PPORollbackObjective)
        #expect(given.slope == -0.1)
        configuration.rollbackSlope = 0.5
        #expect(configuration.problems().contains { $0.contains("rollbackSlope") && $0.contains("0.5") })
    }
}
