import Environments
import Foundation

/// The agent's networks: a tanh-MLP actor giving the Gaussian mean, a state-independent
/// log-std vector, and a tanh-MLP critic giving V(s). All parameters live in one flat
/// array laid out as actor | log-std | critic, which the optimiser updates as a whole.
public struct ActorCritic<Scalar: NetworkScalar>: Sendable {
    public let actor: MLP<Scalar>
    public let critic: MLP<Scalar>
    public var parameters: [Scalar]

    public var actionSize: Int { actor.outputSize }
    public var observationSize: Int { actor.inputSize }
    public var logStdOffset: Int { actor.parameterCount }
    public var criticOffset: Int { actor.parameterCount + actionSize }

    /// Networks with the given hidden sizes, initialised as in the papers: orthogonal weights
    /// with gain √2 on hidden layers, 0.01 on the actor's output, 1 on the critic's; zero
    /// biases; log-std 0.
    public init(
        observationSize: Int, actionSize: Int, actorHidden: [Int], criticHidden: [Int], random: inout RandomGenerator
    ) {
        actor = MLP(sizes: [observationSize] + actorHidden + [actionSize])
        critic = MLP(sizes: [observationSize] + criticHidden + [1])
        let actorParameters = actor.initialParameters(hiddenGain: 2.0.squareRoot(), outputGain: 0.01, random: &random)
        let criticParameters = critic.initialParameters(hiddenGain: 2.0.squareRoot(), outputGain: 1, random: &random)
        parameters = actorParameters + [Scalar](repeating: 0, count: actionSize) + criticParameters
    }

    /// The current log standard deviations.
    public var logStd: [Double] { (0..<actionSize).map { Double(parameters[logStdOffset + $0]) } }

    /// Means of the policy for `batch` observations (batch × actionSize).
    public func means(_ observations: [Scalar], batch: Int) -> [Scalar] {
        actor.forward(parameters, input: observations, batch: batch).output
    }

    /// Values of `batch` observations.
    public func values(_ observations: [Scalar], batch: Int) -> [Scalar] {
        critic.forward(parameters, offset: criticOffset, input: observations, batch: batch).output
    }

    /// The actor and the critic packed for inference (``PackedMLP``): once per rollout, then shared
    /// by its workers. Their outputs have the bits of ``means(_:batch:)`` and ``values(_:batch:)``.
    public func packedNetworks() -> (actor: PackedMLP<Scalar>, critic: PackedMLP<Scalar>) {
        (actor.packed(parameters), critic.packed(parameters, offset: criticOffset))
    }
}
