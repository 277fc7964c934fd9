import Dispatch
import MuJoCo

/// Measures environment throughput against the raw MuJoCo loop in the same run.
///
/// Both single-core loops replay the same uniform random actions and reset at the same
/// steps to the same initial states, so they simulate the identical trajectory and the
/// ratio isolates the cost of the task code. Raw and environment passes alternate and
/// each keeps its best of `repeats`, which filters out interference on a shared machine.
public struct EnvironmentBenchmark: Sendable {
    /// Target duration of one timed pass, in seconds.
    public var secondsPerPass = 1.0
    /// Timed passes of each kind; the fastest counts.
    public var repeats = 3
    /// Environments and workers of the vectorised measurement.
    public var vectorEnvironments = 8
    public var vectorWorkers = 8
    public var seed: UInt64 = 0

    public init() {}

    /// Measures one task with `options` changed from Gymnasium's defaults. `progress` receives a
    /// short line before each phase.
    public func measure(
        task id: String, options: [String: TaskOptionValue] = [:], progress: (String) -> Void = { _ in }
    ) throws
        -> EnvironmentThroughput
    {
        let environment = try EnvironmentRegistry.make(id, options: options)
        let spec = environment.spec
        var random = RandomGenerator(seed: seed)

        // Calibrate the step count so one environment pass takes about `secondsPerPass`.
        let probeSteps = 200
        let probe = try Plan(environment: environment, steps: probeSteps, random: &random)
        let probeSeconds = try time { try probe.runEnvironment(environment) }
        let steps = max(probeSteps, Int(secondsPerPass / max(probeSeconds, 1e-9) * Double(probeSteps)))
        let plan = try Plan(environment: environment, steps: steps, random: &random)
        let raw = Simulation(model: environment.simulation.model)

        var bestRaw = Double.infinity, bestEnvironment = Double.infinity
        for round in 1...repeats {
            progress("\(id): single-core pass \(round)/\(repeats) (\(steps) steps)")
            bestRaw = min(bestRaw, time { plan.runRaw(raw, frameSkip: spec.frameSkip) })
            bestEnvironment = min(bestEnvironment, try time { try plan.runEnvironment(environment) })
        }

        progress("\(id): \(vectorEnvironments) environments on \(vectorWorkers) workers")
        let vector = try VectorEnvironment(id: id, options: options, count: vectorEnvironments, workers: vectorWorkers)
        let vectorSteps = max(1, steps / vectorEnvironments)
        let vectorActions = (0..<vectorSteps).map { _ in
            uniformActions(spec, count: vectorEnvironments, random: &random)
        }
        var bestVector = Double.infinity
        for _ in 1...repeats {
            vector.reset(seed: seed)
            bestVector = min(bestVector, try time { for actions in vectorActions { _ = try vector.step(actions) } })
        }

        let rawRate = Double(steps) / bestRaw
        let environmentRate = Double(steps) / bestEnvironment
        let vectorRate = Double(vectorSteps * vectorEnvironments) / bestVector
        return EnvironmentThroughput(
            task: id, rawStepsPerSecond: rawRate, environmentStepsPerSecond: environmentRate,
            ratio: environmentRate / rawRate, vectorStepsPerSecond: vectorRate, vectorOverRaw: vectorRate / rawRate,
            vectorEnvironments: vectorEnvironments, vectorWorkers: vector.workers, steps: steps,
            mujocoVersion: MuJoCoLibrary.loaded.version, mujocoLibrary: MuJoCoLibrary.loaded.path
        )
    }

    /// A fixed sequence of actions and the initial states of the episodes it crosses.
    private struct Plan {
        let actions: [[Float]]
        /// Step index → initial (qpos, qvel) loaded before that step.
        let resets: [Int: (qpos: [Double], qvel: [Double])]

        /// Runs the environment once to find where its episodes end under these actions.
        init(environment: any Environment, steps: Int, random: inout RandomGenerator) throws {
            let actions = (0..<steps).map { _ in uniformActions(environment.spec, count: 1, random: &random) }
            var resets: [Int: (qpos: [Double], qvel: [Double])] = [:]
            var observation = [Double](repeating: 0, count: environment.spec.observationSize)
            try observation.withUnsafeMutableBufferPointer { observation in
                for (index, action) in actions.enumerated() {
                    if index == 0 {
                        resets[0] = environment.initialState(using: &random)
                        try environment.reset(qpos: resets[0]!.qpos, qvel: resets[0]!.qvel, observation: observation)
                    }
                    let transition = try action.withUnsafeBufferPointer {
                        try environment.step(action: $0, observation: observation)
                    }
                    if transition.terminated || transition.truncated, index + 1 < actions.count {
                        let start = environment.initialState(using: &random)
                        resets[index + 1] = start
                        try environment.reset(qpos: start.qpos, qvel: start.qvel, observation: observation)
                    }
                }
            }
            self.actions = actions
            self.resets = resets
        }

        func runEnvironment(_ environment: any Environment) throws {
            var observation = [Double](repeating: 0, count: environment.spec.observationSize)
            try observation.withUnsafeMutableBufferPointer { observation in
                for (index, action) in actions.enumerated() {
                    if let start = resets[index] {
                        try environment.reset(qpos: start.qpos, qvel: start.qvel, observation: observation)
                    }
                    _ = try action.withUnsafeBufferPointer {
                        try environment.step(action: $0, observation: observation)
                    }
                }
            }
        }

        func runRaw(_ simulation: Simulation, frameSkip: Int) {
            let ctrl = simulation.ctrl
            for (index, action) in actions.enumerated() {
                if let start = resets[index] {
                    simulation.resetData()
                    _ = simulation.qpos.update(fromContentsOf: start.qpos)
                    _ = simulation.qvel.update(fromContentsOf: start.qvel)
                    simulation.forward()
                }
                for i in 0..<ctrl.count { ctrl[i] = Double(action[i]) }
                simulation.step(count: frameSkip)
            }
        }
    }
}

/// Wall time of `body` in seconds.
private func time(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
}
