import Foundation
import Testing

@testable import Environments

/// Runs `steps` vector steps of seeded random actions and returns everything the steps returned.
func rollout(_ vector: VectorEnvironment, seed: UInt64, steps: Int) throws -> (
    values: [Double], flags: [Bool], ends: Int
) {
    var values = vector.reset(seed: seed)
    var flags: [Bool] = []
    var ends = 0
    var random = RandomGenerator(seed: seed &+ 1000)
    for _ in 0..<steps {
        let step = try vector.step(randomActions(vector.spec, count: vector.count, random: &random))
        values += step.observations + step.rewards + step.infos.flatMap(\.values)
        values += step.finalObservations.compactMap { $0 }.flatMap { $0 }
        flags += step.terminated + step.truncated
        ends += step.finalObservations.compactMap { $0 }.count
    }
    return (values, flags, ends)
}

@Suite("Vectorised environments")
struct VectorEnvironmentTests {
    @Test("results are bit-identical for 1, 2 and 8 workers", arguments: ["Hopper-v4", "Humanoid-v4"])
    func workerIndependence(id: String) throws {
        let single = try rollout(VectorEnvironment(id: id, count: 8, workers: 1), seed: 7, steps: 150)
        #expect(single.ends > 0, "the rollout should cross episode ends")
        for workers in [2, 8] {
            let parallel = try rollout(
                VectorEnvironment(id: id, count: 8, workers: workers, capWorkersAtCores: false), seed: 7, steps: 150)
            let identical = parallel.values.map(\.bitPattern) == single.values.map(\.bitPattern)
            #expect(identical, "\(workers) workers differ from 1")
            #expect(parallel.flags == single.flags)
        }
    }

    @Test("the default uses 8 environments and caps the workers at the core count")
    func defaults() throws {
        let vector = try VectorEnvironment(id: "Hopper-v4")
        #expect(vector.count == 8)
        #expect(vector.workers == min(8, ProcessInfo.processInfo.activeProcessorCount))
    }

    @Test("environment i is seeded with seed + i and matches a single environment step for step, auto-reset included")
    func matchesSingleEnvironments() throws {
        let vector = try VectorEnvironment(id: "Hopper-v4", count: 3, workers: 3, capWorkersAtCores: false)
        let singles = try (0..<3).map { _ in try Hopper() }
        let first = vector.reset(seed: 20)
        for (i, single) in singles.enumerated() {
            #expect(Array(first[(i * 11)..<((i + 1) * 11)]) == single.reset(seed: 20 + UInt64(i)))
        }
        var random = RandomGenerator(seed: 3)
        var sawEnd = false
        for _ in 0..<120 {
            // Strong actions make Hopper fall.
            let actions = randomActions(vector.spec, count: 3, random: &random).map { $0 * 3 }
            let step = try vector.step(actions)
            for (i, single) in singles.enumerated() {
                let expected = try single.step(Array(actions[(i * 3)..<((i + 1) * 3)]))
                #expect(step.rewards[i] == expected.reward)
                #expect(step.terminated[i] == expected.terminated)
                #expect(step.infos[i] == expected.info)
                if expected.terminated || expected.truncated {
                    sawEnd = true
                    #expect(step.finalObservations[i] == expected.observation)
                    #expect(step.finalInfos[i] == expected.info)
                    #expect(Array(step.observation(i)) == single.reset())
                } else {
                    #expect(step.finalObservations[i] == nil)
                    #expect(Array(step.observation(i)) == expected.observation)
                }
            }
        }
        #expect(sawEnd)
    }

    @Test("bad actions are rejected before any environment moves")
    func badActions() throws {
        let vector = try VectorEnvironment(id: "Walker2d-v4", count: 4, workers: 2, capWorkersAtCores: false)
        vector.reset(seed: 1)
        let before = vector.captureStates()
        #expect(throws: EnvironmentError.actionLength(task: "Walker2d-v4", expected: 24, found: 23)) {
            try vector.step([Float](repeating: 0, count: 23))
        }
        var actions = [Float](repeating: 0, count: 24)
        actions[3 * 6 + 2] = .nan
        #expect(
            throws: MessageError(
                description: "environment 3 of the vector: Walker2d-v4: action[2] is nan; actions must be finite")
        ) {
            do { _ = try vector.step(actions) } catch { throw MessageError(description: "\(error)") }
        }
        #expect(vector.captureStates() == before)
        #expect(throws: EnvironmentError.self) { try VectorEnvironment(id: "Hopper-v4", count: 0) }
        #expect(throws: EnvironmentError.unknownTask(id: "Ant", valid: EnvironmentRegistry.ids)) {
            try VectorEnvironment(id: "Ant")
        }
    }

    @Test("captured states restore a vector environment to continue identically")
    func restore() throws {
        let vector = try VectorEnvironment(id: "Ant-v4", count: 4, workers: 2)
        vector.reset(seed: 11)
        var random = RandomGenerator(seed: 12)
        var last: VectorStep?
        for _ in 0..<30 { last = try vector.step(randomActions(vector.spec, count: 4, random: &random)) }
        let states = vector.captureStates()
        let observations = try #require(last).observations
        let saved = random
        var expected: [Double] = []
        for _ in 0..<30 {
            expected += try vector.step(randomActions(vector.spec, count: 4, random: &random)).observations
        }

        let copy = try VectorEnvironment(id: "Ant-v4", count: 4, workers: 1)
        try copy.restore(states, observations: observations)
        random = saved
        var replayed: [Double] = []
        for _ in 0..<30 { replayed += try copy.step(randomActions(copy.spec, count: 4, random: &random)).observations }
        let identical = replayed.map(\.bitPattern) == expected.map(\.bitPattern)
        #expect(identical)
    }

    @Test(
        "workers stepping their own groups through many steps match lock-step vector steps bit for bit",
        arguments: [1, 2, 3, 5])
    func groups(workers: Int) throws {
        let count = 5, steps = 120
        let lockStep = try VectorEnvironment(id: "Hopper-v4", count: count, workers: 1)
        let grouped = try VectorEnvironment(id: "Hopper-v4", count: count, workers: workers, capWorkersAtCores: false)
        #expect(grouped.groups.count == workers)
        #expect(grouped.groups.flatMap { Array($0) } == Array(0..<count), "contiguous groups, in order")
        #expect(Set(grouped.groups.map(\.count)).count <= 2 && grouped.groups.allSatisfy { !$0.isEmpty })
        var random = RandomGenerator(seed: 4)
        // Strong actions make Hopper fall, so that episodes end and environments reset.
        let actions = (0..<steps).map { _ in randomActions(lockStep.spec, count: count, random: &random).map { $0 * 3 }
        }
        let size = lockStep.spec.observationSize, actionSize = lockStep.spec.actionSize

        // Per step and environment: observation, reward, flags and final observation.
        var expected = [[Double]](repeating: [], count: steps * count)
        lockStep.reset(seed: 9)
        for t in 0..<steps {
            let step = try lockStep.step(actions[t])
            for i in 0..<count {
                expected[t * count + i] =
                    Array(step.observation(i)) + [
                        step.rewards[i], step.terminated[i] ? 1 : 0, step.truncated[i] ? 1 : 0,
                    ]
                    + (step.finalObservations[i] ?? [])
            }
        }
        #expect(expected.contains { $0.count > size + 3 }, "the steps should cross episode ends")

        var observations = grouped.reset(seed: 9)
        var found = [[Double]](repeating: [], count: steps * count)
        observations.withUnsafeMutableBufferPointer { observations in
            found.withUnsafeMutableBufferPointer { found in
                grouped.forEachGroup { _, environments in
                    for t in 0..<steps {
                        for i in environments {
                            let slot = UnsafeMutableBufferPointer(rebasing: observations[(i * size)..<((i + 1) * size)])
                            let step = actions[t].withUnsafeBufferPointer {
                                try? grouped.step(
                                    environment: i,
                                    action: UnsafeBufferPointer(
                                        rebasing: $0[(i * actionSize)..<((i + 1) * actionSize)]),
                                    observation: slot)
                            }
                            guard let (transition, final) = step else { return }
                            found[t * count + i] =
                                Array(slot) + [
                                    transition.reward, transition.terminated ? 1 : 0, transition.truncated ? 1 : 0,
                                ] + (final ?? [])
                        }
                    }
                }
            }
        }
        #expect(found.map { $0.map(\.bitPattern) } == expected.map { $0.map(\.bitPattern) })
    }
}

/// An error compared by its message (NaN payloads never compare equal).
struct MessageError: Error, Equatable, CustomStringConvertible {
    let description: String
}
