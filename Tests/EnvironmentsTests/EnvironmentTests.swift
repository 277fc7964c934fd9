import Foundation
import MuJoCo
import Testing

@testable import Environments

/// Uniform actions in [-1, 1] scaled to the action bounds, from a seeded generator.
func randomActions(_ spec: EnvironmentSpec, count: Int = 1, random: inout RandomGenerator) -> [Float] {
    (0..<(count * spec.actionSize)).map { i in
        let j = i % spec.actionSize
        return Float(random.uniform(Double(spec.actionSpace.low[j]), Double(spec.actionSpace.high[j])))
    }
}

@Suite("Environments")
struct EnvironmentTests {
    @Test("the registry makes all six tasks with Gymnasium's sizes and bounds")
    func registry() throws {
        let expected: [String: (obs: Int, action: Int, dt: Double)] = [
            "Ant-v4": (27, 8, 0.05), "HalfCheetah-v4": (17, 6, 0.05), "Hopper-v4": (11, 3, 0.008),
            "Humanoid-v4": (376, 17, 0.015), "HumanoidStandup-v4": (376, 17, 0.015), "Walker2d-v4": (17, 6, 0.008),
        ]
        #expect(Set(EnvironmentRegistry.ids) == Set(expected.keys))
        for (id, sizes) in expected {
            let spec = try EnvironmentRegistry.make(id).spec
            #expect(spec.id == id)
            #expect(spec.observationSize == sizes.obs)
            #expect(spec.actionSize == sizes.action)
            #expect(spec.dt == sizes.dt)
            #expect(spec.maxEpisodeSteps == 1000)
        }
        let humanoid = try EnvironmentRegistry.make("Humanoid-v4").spec
        #expect(humanoid.actionSpace.high.allSatisfy { $0 == Float(0.4) && Double($0) == 0.4000000059604645 })
        #expect(
            try EnvironmentRegistry.make("Hopper-v4").spec.actionSpace == BoxSpace(low: [-1, -1, -1], high: [1, 1, 1]))
    }

    @Test("an unknown task id names the valid ones")
    func unknownTask() {
        #expect(throws: EnvironmentError.unknownTask(id: "Hoper-v4", valid: EnvironmentRegistry.ids)) {
            try EnvironmentRegistry.make("Hoper-v4")
        }
        let message = EnvironmentError.unknownTask(id: "Hoper-v4", valid: EnvironmentRegistry.ids).description
        #expect(message.contains("Hoper-v4") && message.contains("Hopper-v4") && message.contains("Walker2d-v4"))
    }

    @Test("a model file that does not load is a thrown error with MuJoCo's message")
    func badModel() throws {
        var options = Hopper.Options()
        options.modelPath = "/nonexistent/hopper.xml"
        #expect {
            try Hopper(options: options)
        } throws: { error in
            guard case let MuJoCoError.loadFailed(path, message) = error else { return false }
            return path == "/nonexistent/hopper.xml" && !message.isEmpty
        }
    }

    @Test("invalid options are rejected with their name and value")
    func badOptions() {
        var options = Walker2d.Options()
        options.healthyZRange = (2.0, 0.8)
        #expect(
            throws: EnvironmentError.invalidOption(
                task: "Walker2d-v4", option: "healthyZRange", value: "(2.0, 0.8)", reason: "low must not exceed high")
        ) {
            try Walker2d(options: options)
        }
    }

    @Test(
        "a wrong action length, a NaN or an infinite action is rejected before anything changes",
        arguments: EnvironmentRegistry.ids)
    func badActions(id: String) throws {
        let environment = try EnvironmentRegistry.make(id)
        environment.reset(seed: 1)
        _ = try environment.step([Float](repeating: 0.1, count: environment.spec.actionSize))
        let before = environment.captureState()
        let size = environment.spec.actionSize
        #expect(throws: EnvironmentError.actionLength(task: id, expected: size, found: size + 1)) {
            try environment.step([Float](repeating: 0, count: size + 1))
        }
        var nanAction = [Float](repeating: 0, count: size)
        nanAction[size - 1] = .nan
        #expect(throws: EnvironmentError.self) { try environment.step(nanAction) }
        var infiniteAction = [Double](repeating: 0, count: size)
        infiniteAction[0] = -.infinity
        #expect(throws: EnvironmentError.nonFiniteAction(task: id, index: 0, value: -.infinity)) {
            try environment.step(infiniteAction)
        }
        #expect(environment.captureState() == before)
    }

    @Test("step before the first reset is an error")
    func stepBeforeReset() throws {
        let environment = try Hopper()
        #expect(throws: EnvironmentError.stepBeforeReset(task: "Hopper-v4")) {
            try environment.step([Float](repeating: 0, count: 3))
        }
    }

    @Test("diverging physics is reported in the step's warnings")
    func unstablePhysics() throws {
        let environment = try Hopper()
        environment.reset(seed: 0)
        environment.simulation.qvel[3] = 1e12
        let step = try environment.step([Float](repeating: 0, count: 3))
        #expect(step.warnings.contains(.badVelocity))
        #expect(step.observation.allSatisfy { $0.isFinite })
        let calm = try environment.step([Float](repeating: 0, count: 3))
        #expect(calm.warnings.isEmpty)
    }

    @Test("truncation comes on exactly the 1000th step, independent of termination")
    func truncation() throws {
        let environment = try HalfCheetah()
        environment.reset(seed: 0)
        for step in 1...1000 {
            let result = try environment.step([Float](repeating: 0, count: 6))
            #expect(result.truncated == (step == 1000))
            #expect(!result.terminated)
        }
        environment.reset()
        #expect(try !environment.step([Float](repeating: 0, count: 6)).truncated)
    }

    @Test("Hopper terminates when it falls, and the healthy reward is paid on that step")
    func termination() throws {
        let environment = try Hopper()
        environment.reset(seed: 0)
        var terminatedAt: Int?
        for step in 1...200 {
            let result = try environment.step([Float](arrayLiteral: 1, -1, 1))
            if result.terminated {
                terminatedAt = step
                let xVelocity = try #require(result.info["x_velocity"])
                let expected = (xVelocity + 1.0) - Double(Float(1e-3) * Float(3))
                #expect(result.reward == expected)
                break
            }
        }
        #expect(terminatedAt != nil)
    }

    @Test("seeded resets repeat, differ between seeds and continue the stream when unseeded")
    func seeding() throws {
        let environment = try Ant()
        let first = environment.reset(seed: 42)
        let again = environment.reset(seed: 42)
        let other = environment.reset(seed: 43)
        let continued = environment.reset()
        #expect(first == again)
        #expect(first != other)
        #expect(continued != other)
        let fresh = try Ant()
        fresh.reset(seed: 43)
        #expect(fresh.reset() == continued)
    }

    @Test("reset noise has Gymnasium's distributions", arguments: ["Hopper-v4", "HalfCheetah-v4"])
    func resetNoise(id: String) throws {
        let environment = try EnvironmentRegistry.make(id)
        let defaults = environment.simulation.model.defaultPositions
        var positionNoise: [Double] = [], velocityNoise: [Double] = []
        for seed in 0..<400 {
            var random = RandomGenerator(seed: UInt64(seed))
            let state = environment.initialState(using: &random)
            positionNoise += zip(state.qpos, defaults).map { $0 - $1 }
            velocityNoise += state.qvel
        }
        func moments(_ x: [Double]) -> (mean: Double, std: Double) {
            let mean = x.reduce(0, +) / Double(x.count)
            return (mean, (x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(x.count)).squareRoot())
        }
        let scale = id == "Hopper-v4" ? 5e-3 : 0.1
        // Uniform on [-s, s]: bounded, mean 0, std s/√3.
        let position = moments(positionNoise)
        #expect(positionNoise.allSatisfy { abs($0) <= scale })
        #expect(abs(position.mean) < 0.05 * scale)
        #expect(abs(position.std - scale / 3.0.squareRoot()) < 0.05 * scale)
        let velocity = moments(velocityNoise)
        if id == "Hopper-v4" {
            #expect(velocityNoise.allSatisfy { abs($0) <= scale })
            #expect(abs(velocity.std - scale / 3.0.squareRoot()) < 0.05 * scale)
        } else {
            // s · N(0, 1): std s, and some values beyond s.
            #expect(abs(velocity.std - scale) < 0.05 * scale)
            #expect(velocityNoise.contains { abs($0) > 2 * scale })
        }
        #expect(abs(velocity.mean) < 0.05 * scale)
    }

    @Test("options change the observation layout and termination as in Gymnasium")
    func options() throws {
        var hopperOptions = Hopper.Options()
        hopperOptions.excludeCurrentPositionsFromObservation = false
        let hopper = try Hopper(options: hopperOptions)
        let observation = hopper.reset(seed: 0)
        #expect(observation.count == 12)
        #expect(observation[0] == hopper.simulation.qpos[0])

        var antOptions = Ant.Options()
        antOptions.useContactForces = true
        antOptions.excludeCurrentPositionsFromObservation = false
        let ant = try Ant(options: antOptions)
        #expect(ant.spec.observationSize == 27 + 2 + 84)
        ant.reset(seed: 0)
        var random = RandomGenerator(seed: 0)
        for _ in 0..<20 { _ = try ant.step(randomActions(ant.spec, random: &random)) }
        let step = try ant.step(randomActions(ant.spec, random: &random))
        let contacts = step.observation[29...]
        #expect(contacts.allSatisfy { -1 <= $0 && $0 <= 1 })
        #expect(contacts.contains { $0 != 0 })

        var walkerOptions = Walker2d.Options()
        walkerOptions.terminateWhenUnhealthy = false
        let walker = try Walker2d(options: walkerOptions)
        walker.reset(seed: 0)
        var sawUnhealthy = false
        for _ in 0..<300 {
            let result = try walker.step([Float](repeating: 0, count: 6))
            #expect(!result.terminated)
            if !walker.isHealthy {
                sawUnhealthy = true
                let xVelocity = try #require(result.info["x_velocity"])
                #expect(result.reward == xVelocity - 0)
            }
        }
        #expect(sawUnhealthy)
    }

    @Test("a restored environment continues bit-identically", arguments: ["Ant-v4", "Humanoid-v4", "Hopper-v4"])
    func environmentState(id: String) throws {
        let environment = try EnvironmentRegistry.make(id)
        environment.reset(seed: 5)
        var random = RandomGenerator(seed: 9)
        for _ in 0..<10 { _ = try environment.step(randomActions(environment.spec, random: &random)) }
        let saved = environment.captureState()
        let actionRandom = random
        var expected: [Double] = []
        for _ in 0..<20 {
            let step = try environment.step(randomActions(environment.spec, random: &random))
            expected += step.observation + [step.reward] + step.info.values
        }
        let copy = try EnvironmentRegistry.make(id)
        try copy.restore(saved)
        random = actionRandom
        var replayed: [Double] = []
        for _ in 0..<20 {
            let step = try copy.step(randomActions(copy.spec, random: &random))
            replayed += step.observation + [step.reward] + step.info.values
        }
        let identical = replayed.map(\.bitPattern) == expected.map(\.bitPattern)
        #expect(identical)
        #expect(copy.episode == environment.episode)
    }

    @Test("NumPy's pairwise summation order is reproduced")
    func pairwiseSum() {
        // With 9 values the 9th is added after the tree of eight partial sums.
        let values: [Double] = [1e16, 1, -1e16, 1, 1, 1, 1, 1, 1]
        let sum = numpyPairwiseSum(values.count) { values[$0] }
        let expected =
            ((values[0] + values[1]) + (values[2] + values[3])) + ((values[4] + values[5]) + (values[6] + values[7]))
            + values[8]
        #expect(sum == expected)
        #expect(sum != values.reduce(0, +))
        // Above 128 values the array is split in halves, each a multiple of 8 long.
        let many = (0..<300).map { Double($0) * 0.1 }
        #expect(
            numpyPairwiseSum(300) { many[$0] } == numpyPairwiseSum(144) { many[$0] }
                + numpyPairwiseSum(156, offset: 144) { many[$0] })
    }
}
