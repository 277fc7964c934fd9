/// The largest sizes the program accepts from settings and saved files (docs/file-formats.md).
/// Everything read from outside is checked against these before anything is allocated from it.
public enum Limits {
    /// Hidden layers per network and units per hidden layer.
    public static let hiddenLayers = 8
    public static let layerWidth = 1024
    /// Parallel environments, workers, rollout horizon and samples per batch.
    public static let environments = 1024
    public static let workers = 1024
    public static let horizon = 1 << 20
    public static let batchSize = 1 << 20
    /// Update epochs; conjugate-gradient iterations and line-search tries.
    public static let epochs = 1000
    public static let iterations = 1000
    /// Steps of one episode as the wrappers count them (episodes are truncated at 1000).
    public static let episodeSteps = 1_000_000
    /// Environment steps of a run (about 1.1 × 10¹²).
    public static let totalSteps = 1 << 40
    /// Bytes of an agent file, a checkpoint, a recorded case file and a run's CSV file.
    public static let agentBytes = 256 << 20
    public static let checkpointBytes = 1 << 30
    public static let caseFileBytes = 256 << 20
    public static let csvBytes = 1 << 30
    /// Bytes of the small JSON and YAML files: configurations, run.json, summary.json, the
    /// normalisation, reference and random-baseline files.
    public static let smallFileBytes = 16 << 20
}
