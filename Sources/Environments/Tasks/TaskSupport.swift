import Foundation
import MuJoCo

/// Loads a task's model: `explicitPath` when given, else `defaultFile` from ``ModelLocator``.
///
/// Every environment loads its own copy (a few milliseconds, tens of kilobytes): one
/// model shared by environments stepped on different cores measured 30% slower in
/// `spo bench envs`, from cache-line traffic on the shared object.
func loadTaskModel(defaultFile: String, explicitPath: String?) throws -> MuJoCoModel {
    try MuJoCoModel(contentsOf: explicitPath ?? ModelLocator.path(of: defaultFile))
}

/// The spec of a task whose action bounds come from the model's control ranges.
func taskSpec(id: String, model: MuJoCoModel, frameSkip: Int, observationSize: Int, infoKeys: [String])
    -> EnvironmentSpec
{
    let ranges = model.controlRanges
    return EnvironmentSpec(
        id: id,
        actionSpace: BoxSpace(low: ranges.map { Float($0.low) }, high: ranges.map { Float($0.high) }),
        observationSpace: .unbounded(observationSize),
        frameSkip: frameSkip,
        dt: model.timestep * Double(frameSkip),
        maxEpisodeSteps: 1000,
        infoKeys: infoKeys
    )
}

/// `np.clip(x, low, high)`: NaN passes through (and −0.0 stays −0.0).
@inlinable @inline(__always)
public func clip<T: Comparable>(_ x: T, _ low: T, _ high: T) -> T {
    x < low ? low : (x > high ? high : x)
}

/// Rejects a (low, high) range option whose bounds are not ordered.
func checkRange(_ range: (Double, Double), task: String, option: String) throws {
    guard range.0 <= range.1 else {
        throw EnvironmentError.invalidOption(
            task: task, option: option, value: "(\(range.0), \(range.1))", reason: "low must not exceed high")
    }
}

/// Model defaults plus U(-scale, scale) noise on every qpos and qvel entry
/// (Hopper, Walker2d, Humanoid, HumanoidStandup).
func uniformNoiseState(model: MuJoCoModel, scale: Double, random: inout RandomGenerator) -> (
    qpos: [Double], qvel: [Double]
) {
    let qpos = model.defaultPositions.map { $0 + random.uniform(-scale, scale) }
    let qvel = (0..<model.nv).map { _ in 0.0 + random.uniform(-scale, scale) }
    return (qpos, qvel)
}

/// Model defaults plus U(-scale, scale) on qpos and scale·N(0, 1) on qvel (Ant, HalfCheetah).
func uniformPositionNormalVelocityState(model: MuJoCoModel, scale: Double, random: inout RandomGenerator) -> (
    qpos: [Double], qvel: [Double]
) {
    let qpos = model.defaultPositions.map { $0 + random.uniform(-scale, scale) }
    let qvel = (0..<model.nv).map { _ in 0.0 + scale * random.standardNormal() }
    return (qpos, qvel)
}

/// Writes qpos from index `firstPosition` on, then qvel (clipped to ±10 when
/// `clipVelocity`, as Hopper and Walker2d do), and returns the number of values written.
@discardableResult
func writePositionsAndVelocities(
    _ simulation: Simulation, firstPosition: Int, clipVelocity: Bool,
    into observation: UnsafeMutableBufferPointer<Double>
) -> Int {
    let qpos = simulation.qpos, qvel = simulation.qvel
    var k = 0
    for i in firstPosition..<qpos.count { observation[k] = qpos[i]; k += 1 }
    for i in 0..<qvel.count { observation[k] = clipVelocity ? clip(qvel[i], -10, 10) : qvel[i]; k += 1 }
    return k
}

/// The reward of the planar walkers (Hopper, Walker2d): forward velocity from qpos[0] plus the
/// healthy reward, minus the control cost in the action's precision. Info: x position, x velocity.
func planarWalkerOutcome<A: ActionScalar>(
    simulation: Simulation, action: UnsafeBufferPointer<A>, xBefore: Double, dt: Double, healthy: Bool,
    forwardRewardWeight: Double, ctrlCostWeight: Double, healthyReward: Double, terminateWhenUnhealthy: Bool
) -> (reward: Double, terminated: Bool, info: [Double]) {
    let xAfter = simulation.qpos[0]
    let xVelocity = (xAfter - xBefore) / dt
    let ctrlCost = numpySumOfSquaresCost(weight: ctrlCostWeight, action)
    let forwardReward = forwardRewardWeight * xVelocity
    let healthyTerm = (healthy || terminateWhenUnhealthy ? 1.0 : 0.0) * healthyReward
    let reward = (forwardReward + healthyTerm) - ctrlCost
    return (reward, terminateWhenUnhealthy && !healthy, [xAfter, xVelocity])
}
