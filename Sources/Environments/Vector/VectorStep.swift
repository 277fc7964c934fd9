import MuJoCo

/// The outcome of one vector step, environment by environment.
public struct VectorStep: Sendable {
    /// `count × observationSize` observations; after an episode end, the new episode's first.
    public var observations: [Double]
    public var rewards: [Double]
    public var terminated: [Bool]
    public var truncated: [Bool]
    public var infos: [StepInfo]
    /// MuJoCo warnings per environment during this step.
    public var warnings: [PhysicsWarnings]
    /// The last observation of each episode that ended in this step (nil elsewhere).
    public var finalObservations: [[Double]?]
    /// The last info of each episode that ended in this step (nil elsewhere).
    public var finalInfos: [StepInfo?]

    init(count: Int, spec: EnvironmentSpec) {
        observations = Array(repeating: 0, count: count * spec.observationSize)
        rewards = Array(repeating: 0, count: count)
        terminated = Array(repeating: false, count: count)
        truncated = Array(repeating: false, count: count)
        infos = Array(
            repeating: StepInfo(keys: spec.infoKeys, values: Array(repeating: 0, count: spec.infoKeys.count)),
            count: count)
        warnings = Array(repeating: [], count: count)
        finalObservations = Array(repeating: nil, count: count)
        finalInfos = Array(repeating: nil, count: count)
    }

    /// The observation of environment `index`.
    public func observation(_ index: Int) -> ArraySlice<Double> {
        let size = observations.count / rewards.count
        return observations[(index * size)..<((index + 1) * size)]
    }
}
