import Environments

/// The settings of one update that are not state: the configuration, this update's learning
/// rate (after decay) and the workers the minibatch loss is sharded over.
public struct UpdateContext: Sendable {
    public var configuration: TrainingConfiguration
    public var learningRate: Double
    public var pool: WorkerPool?

    public init(configuration: TrainingConfiguration, learningRate: Double, pool: WorkerPool? = nil) {
        self.configuration = configuration
        self.learningRate = learningRate
        self.pool = pool
    }
}
