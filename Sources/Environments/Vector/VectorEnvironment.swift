import Foundation
import MuJoCo

/// N environments of one task stepped in parallel by W Dispatch workers, with auto-reset.
///
/// Each environment owns its simulation and random generator, and a worker only
/// touches the environments it claims, so the results are bit-identical whatever
/// the number of workers. When an environment's episode ends, it is reset inside the
/// same `step` (Gymnasium 0.29.1 vector semantics): the returned observation is the
/// new episode's first one, while reward and flags are the final step's, and the
/// final observation and info are kept in ``VectorStep/finalObservations`` and
/// ``VectorStep/finalInfos``.
///
/// ``forEachGroup(_:)`` instead gives each worker a contiguous group of environments to step
/// alone (``step(environment:action:observation:)``, the same auto-reset) as many times as it
/// likes, the workers meeting once at the end: the trainer's rollouts.
public final class VectorEnvironment {
    /// The task's spec (shared by all environments).
    public let spec: EnvironmentSpec
    /// Number of environments.
    public let count: Int
    /// Number of workers actually used.
    public let workers: Int
    private let environments: [any Environment]
    private let pool: WorkerPool
    private var last: VectorStep

    /// Creates `count` environments with `make` and steps them with up to `workers` workers.
    /// With `capWorkersAtCores` (the default) the workers are capped at the number of
    /// active cores, as more threads than cores only add switching.
    public init(count: Int = 8, workers: Int = 8, capWorkersAtCores: Bool = true, make: () throws -> any Environment)
        throws
    {
        guard count > 0 else {
            throw EnvironmentError.invalidOption(
                task: "vector", option: "count", value: "\(count)", reason: "need at least one environment")
        }
        guard workers > 0 else {
            throw EnvironmentError.invalidOption(
                task: "vector", option: "workers", value: "\(workers)", reason: "need at least one worker")
        }
        environments = try (0..<count).map { _ in try make() }
        spec = environments[0].spec
        for environment in environments where environment.spec != spec {
            throw EnvironmentError.invalidOption(
                task: spec.id, option: "make", value: environment.spec.id,
                reason: "all environments must have the same spec")
        }
        self.count = count
        let cap = capWorkersAtCores ? ProcessInfo.processInfo.activeProcessorCount : Int.max
        self.workers = max(1, min(workers, count, cap))
        pool = WorkerPool(workers: self.workers)
        last = VectorStep(count: count, spec: spec)
    }

    /// `count` environments of the registered task `id` with `options` changed from Gymnasium's defaults.
    public convenience init(
        id: String, options: [String: TaskOptionValue] = [:], count: Int = 8, workers: Int = 8,
        capWorkersAtCores: Bool = true
    ) throws {
        _ = try EnvironmentRegistry.make(id, options: options)  // fail early with the valid ids or options
        try self.init(count: count, workers: workers, capWorkersAtCores: capWorkersAtCores) {
            try EnvironmentRegistry.make(id, options: options)
        }
    }

    /// The environment at `index`, for inspection.
    public func environment(_ index: Int) -> any Environment { environments[index] }

    /// Seconds spent inside MuJoCo by all environments since they were created, summed over the
    /// environments (so up to `workers` times the wall time). Read it between steps, not during one.
    public var physicsSeconds: Double { environments.reduce(0) { $0 + $1.simulation.physicsSeconds } }

    /// Resets every environment; environment i is seeded with `seed + i` (as Gymnasium's vector reset).
    /// Returns the first observations, `count × observationSize` values, environment by environment.
    @discardableResult
    public func reset(seed: UInt64) -> [Double] {
        let size = spec.observationSize
        last = VectorStep(count: count, spec: spec)
        last.observations.withUnsafeMutableBufferPointer { observations in
            let shared = WorkerShared(environments: environments, observations: observations)
            parallelForEach { i in
                shared.environments[i].reset(seed: seed &+ UInt64(i), observation: shared.observation(i, size: size))
            }
        }
        return last.observations
    }

    /// Steps every environment with its slice of `actions` (`count × actionSize` values,
    /// environment by environment). All actions are checked before any environment moves.
    public func step<A: ActionScalar>(_ actions: [A]) throws -> VectorStep {
        let actionSize = spec.actionSize
        guard actions.count == count * actionSize else {
            throw EnvironmentError.actionLength(task: spec.id, expected: count * actionSize, found: actions.count)
        }
        try actions.withUnsafeBufferPointer { actions in
            for i in 0..<count {
                try validate(
                    environment: i,
                    action: UnsafeBufferPointer(rebasing: actions[(i * actionSize)..<((i + 1) * actionSize)]))
            }
        }
        let size = spec.observationSize
        var step = last
        var outcomes = [StepOutcome](repeating: StepOutcome(), count: count)
        actions.withUnsafeBufferPointer { actions in
            step.observations.withUnsafeMutableBufferPointer { observations in
                outcomes.withUnsafeMutableBufferPointer { outcomes in
                    let shared = WorkerShared(environments: environments, observations: observations)
                    let results = UncheckedSendable(outcomes)
                    let actionBase = UncheckedSendable(actions)
                    parallelForEach { i in
                        let environment = shared.environments[i]
                        let observation = shared.observation(i, size: size)
                        let action = UnsafeBufferPointer(
                            rebasing: actionBase.value[(i * actionSize)..<((i + 1) * actionSize)])
                        do {
                            let (transition, final) = try Self.stepWithReset(
                                environment, action: action, observation: observation)
                            var outcome = StepOutcome(transition: transition)
                            outcome.finalObservation = final
                            results.value[i] = outcome
                        } catch {
                            results.value[i] = StepOutcome(error: error)
                        }
                    }
                }
            }
        }
        if let failure = outcomes.lazy.compactMap(\.error).first { throw failure }
        for (i, outcome) in outcomes.enumerated() {
            guard let transition = outcome.transition else { continue }
            step.rewards[i] = transition.reward
            step.terminated[i] = transition.terminated
            step.truncated[i] = transition.truncated
            step.infos[i] = transition.info
            step.warnings[i] = transition.warnings
            step.finalObservations[i] = outcome.finalObservation
            step.finalInfos[i] = outcome.finalObservation == nil ? nil : transition.info
        }
        last = step
        return step
    }

    /// One environment's step with the auto-reset of ``step(_:)``: the observation goes to
    /// `observation`; when the episode ends, the final observation is returned and the environment
    /// reset, its new episode's first observation in `observation`.
    private static func stepWithReset<A: ActionScalar>(
        _ environment: any Environment, action: UnsafeBufferPointer<A>, observation: UnsafeMutableBufferPointer<Double>
    ) throws -> (transition: Transition, finalObservation: [Double]?) {
        let transition = try environment.step(action: action, observation: observation)
        guard transition.terminated || transition.truncated else { return (transition, nil) }
        let final = Array(observation)
        environment.reset(seed: nil, observation: observation)
        return (transition, final)
    }

    /// The contiguous groups of environments that ``forEachGroup(_:)`` gives the workers: the
    /// indices in order, split into ``workers`` ranges whose sizes differ by at most one.
    public var groups: [Range<Int>] {
        (0..<workers).map { group in (group * count / workers)..<((group + 1) * count / workers) }
    }

    /// Runs `body(group, environments)` for every group of ``groups`` in parallel, one worker
    /// each, and returns when all are done: the one meeting point of the workers. `body` may
    /// step its own environments with ``step(environment:action:observation:)`` any number of
    /// times, and must touch no other group's environments (nor call ``step(_:)``). Not reentrant.
    public func forEachGroup(_ body: (_ group: Int, _ environments: Range<Int>) -> Void) {
        let groups = self.groups
        pool.forEach(groups.count) { body($0, groups[$0]) }
    }

    /// Throws what ``step(_:)`` throws when environment `index`'s action is invalid
    /// (``EnvironmentError/badVectorAction(environment:_:)``), checked as there before any move.
    public func validate<A: ActionScalar>(environment index: Int, action: UnsafeBufferPointer<A>) throws {
        do {
            try environments[index].validate(action: action)
        } catch let error as EnvironmentError {
            throw EnvironmentError.badVectorAction(environment: index, EnvironmentErrorBox(error))
        }
    }

    /// Steps environment `index` alone, exactly as ``step(_:)`` steps each of its environments
    /// (auto-reset included): the observation, after an episode end the new episode's first, goes
    /// to `observation`; the ended episode's final observation is returned. For the workers of
    /// ``forEachGroup(_:)``, each on its own group's environments.
    public func step<A: ActionScalar>(
        environment index: Int, action: UnsafeBufferPointer<A>, observation: UnsafeMutableBufferPointer<Double>
    ) throws -> (transition: Transition, finalObservation: [Double]?) {
        try Self.stepWithReset(environments[index], action: action, observation: observation)
    }

    /// Runs `body(i)` for every environment index, spread over the workers. Each index
    /// is claimed by exactly one worker, so `body` may touch environment `i` freely.
    private func parallelForEach(_ body: @Sendable (Int) -> Void) {
        pool.forEach(count, body)
    }

    /// The states of all environments, for checkpoints.
    public func captureStates() -> [EnvironmentState] { environments.map { $0.captureState() } }

    /// Restores states captured from a vector environment of the same task and count.
    /// The next `step` continues exactly where the captured one would have.
    public func restore(_ states: [EnvironmentState], observations: [Double]) throws {
        guard states.count == count else {
            throw EnvironmentError.stateMismatch(task: spec.id, field: "states", expected: count, found: states.count)
        }
        guard observations.count == count * spec.observationSize else {
            throw EnvironmentError.stateMismatch(
                task: spec.id, field: "observations", expected: count * spec.observationSize, found: observations.count)
        }
        for (environment, state) in zip(environments, states) { try environment.restore(state) }
        last = VectorStep(count: count, spec: spec)
        last.observations = observations
    }
}

/// What one environment's step produced, filled in by the worker that claimed it.
private struct StepOutcome {
    var transition: Transition?
    var finalObservation: [Double]?
    var error: Error?
    init(transition: Transition? = nil, error: Error? = nil) {
        self.transition = transition
        self.error = error
    }
}

/// A value handed to the workers, each of which touches only the elements of the
/// environment index it claimed; the claim protocol is what makes this sound.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// The environments and the observation buffer, shared by workers that touch disjoint indices.
private struct WorkerShared: @unchecked Sendable {
    let environments: [any Environment]
    let observations: UnsafeMutableBufferPointer<Double>

    func observation(_ i: Int, size: Int) -> UnsafeMutableBufferPointer<Double> {
        UnsafeMutableBufferPointer(rebasing: observations[(i * size)..<((i + 1) * size)])
    }
}
