import Environments
import Foundation

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

/// Reading files that came from outside the program, as data only.
public enum SavedFile {
    /// The bytes of `url`, refusing (naming the path) a missing file, a directory or one larger
    /// than `limit` bytes before reading it.
    public static func contents(of url: URL, limit: Int) throws -> Data {
        var status = stat()
        guard stat(url.path, &status) == 0 else {
            throw SavedFileError(path: url.path, reason: String(cString: strerror(errno)))
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw SavedFileError(path: url.path, reason: "is not a regular file")
        }
        guard Int(status.st_size) <= limit else {
            throw SavedFileError(path: url.path, reason: "has \(status.st_size) bytes, more than the \(limit) allowed")
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw SavedFileError(path: url.path, reason: "cannot be read")
        }
        guard data.count <= limit else {
            throw SavedFileError(path: url.path, reason: "has \(data.count) bytes, more than the \(limit) allowed")
        }
        return data
    }

    /// A decoding error as `field.path: what is wrong`, the field path as in the file
    /// (`wrappers[0].observationStatistics.mean`).
    public static func describe(_ error: Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ keys: [CodingKey]) -> String {
            keys.reduce("") { text, key in
                key.intValue.map { "\(text)[\($0)]" } ?? (text.isEmpty ? key.stringValue : "\(text).\(key.stringValue)")
            }
        }
        func located(_ keys: [CodingKey], _ message: String) -> String {
            keys.isEmpty ? message : "\(path(keys)): \(message)"
        }
        switch error {
        case let .keyNotFound(key, context): return "\(located(context.codingPath + [key], "missing"))"
        case let .typeMismatch(type, context): return located(context.codingPath, "expected \(typeName(type))")
        case let .valueNotFound(type, context):
            return located(context.codingPath, "expected \(typeName(type)), got null")
        case let .dataCorrupted(context):
            return context.codingPath.isEmpty ? "not valid JSON" : located(context.codingPath, context.debugDescription)
        @unknown default: return "\(error)"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        let name = "\(type)"
        if name.hasPrefix("Array") { return "an array" }
        if name.hasPrefix("Dictionary") || name.contains("KeyedDecodingContainer") { return "an object" }
        if ["Int", "Int32", "UInt64", "Double", "Float"].contains(name) { return "a number (\(name))" }
        if name == "String" { return "a string" }
        if name == "Bool" { return "true or false" }
        return name
    }
}

/// A file from outside the program that is not what it should be: its path and why.
public struct SavedFileError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var reason: String
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
    public var description: String { "\(path): \(reason)" }
}

/// Checks of saved values against the sizes they must have, each problem naming the field and value.
struct FieldChecks {
    var problems: [String] = []

    mutating func require(_ condition: Bool, _ problem: @autoclosure () -> String) {
        if !condition { problems.append(problem()) }
    }

    /// Checks `values` has `count` elements, all finite (and not negative when `nonNegative`).
    mutating func values<T: BinaryFloatingPoint>(_ values: [T], _ field: String, count: Int, nonNegative: Bool = false)
    {
        guard values.count == count else {
            problems.append("\(field): must have \(count) values, got \(values.count)")
            return
        }
        if let index = values.firstIndex(where: { !$0.isFinite || (nonNegative && $0 < 0) }) {
            problems.append(
                "\(field)[\(index)]: must be \(nonNegative ? "finite and not negative" : "finite"), "
                    + "got \(values[index])"
            )
        }
    }

    /// Checks the statistics of one environment's wrappers against the observation size.
    mutating func wrappers(_ wrappers: TrainingWrappers, _ field: String, observationSize: Int) {
        for (name, statistics, size) in [
            ("observationStatistics", wrappers.observationStatistics, observationSize),
            ("returnStatistics", wrappers.returnStatistics, 1),
        ] {
            values(statistics.mean, "\(field).\(name).mean", count: size)
            values(statistics.variance, "\(field).\(name).variance", count: size, nonNegative: true)
            require(
                statistics.count.isFinite && statistics.count > 0,
                "\(field).\(name).count: must be finite and positive, got \(statistics.count)")
        }
        require(
            wrappers.returnAccumulator.isFinite,
            "\(field).returnAccumulator: must be finite, got \(wrappers.returnAccumulator)")
        require((0...1).contains(wrappers.gamma), "\(field).gamma: must be in [0, 1], got \(wrappers.gamma)")
        require(
            wrappers.episodeLength >= 0, "\(field).episodeLength: must not be negative, got \(wrappers.episodeLength)")
    }
}

extension MLP {
    /// The parameter count of an MLP of `sizes` (every size already checked to be within ``Limits``).
    static func parameterCount(sizes: [Int]) -> Int {
        zip(sizes, sizes.dropFirst()).reduce(0) { $0 + $1.1 * $1.0 + $1.1 }
    }
}

extension TrainingConfiguration {
    /// The parameter count of this configuration's agent (actor | log-std | critic) on a task
    /// with these observation and action sizes.
    func agentParameterCount(observationSize: Int, actionSize: Int) -> Int {
        MLP<Float>.parameterCount(sizes: [observationSize] + actorHidden + [actionSize]) + actionSize
            + MLP<Float>.parameterCount(sizes: [observationSize] + criticHidden + [1])
    }

    /// The observation and action sizes of this configuration's task (building one environment).
    public func taskSizes() throws -> (observationSize: Int, actionSize: Int) {
        let spec = try EnvironmentRegistry.make(task, options: taskOptions ?? [:]).spec
        return (spec.observationSize, spec.actionSize)
    }
}

extension SavedAgent {
    /// Every problem of this agent for a task of these sizes, each naming the field and value:
    /// the configuration's settings, layer sizes against the configuration and the task,
    /// the parameter count against the sizes, one wrapper per environment with statistics of
    /// the observation's size.
    public func problems(observationSize: Int, actionSize: Int) -> [String] {
        var checks = FieldChecks()
        checks.require(globalStep >= 0, "globalStep: must not be negative, got \(globalStep)")
        checks.require(
            actorSizes == [observationSize] + configuration.actorHidden + [actionSize],
            "actorSizes: must be \([observationSize] + configuration.actorHidden + [actionSize]) "
                + "(\(configuration.task)'s observation size, configuration.actorHidden, its action size), "
                + "got \(actorSizes)"
        )
        checks.require(
            criticSizes == [observationSize] + configuration.criticHidden + [1],
            "criticSizes: must be \([observationSize] + configuration.criticHidden + [1]) "
                + "(\(configuration.task)'s observation size, configuration.criticHidden, 1), got \(criticSizes)"
        )
        guard checks.problems.isEmpty else { return checks.problems }
        checks.values(
            parameters, "parameters",
            count: configuration.agentParameterCount(observationSize: observationSize, actionSize: actionSize))
        checks.require(
            wrappers.count == configuration.environments,
            "wrappers: must have one entry per environment "
                + "(configuration.environments \(configuration.environments)), got \(wrappers.count)"
        )
        for (index, wrapper) in wrappers.enumerated() {
            checks.wrappers(wrapper, "wrappers[\(index)]", observationSize: observationSize)
        }
        return checks.problems
    }

    /// Decodes and checks an agent file's bytes; `path` names it in errors. The configuration
    /// is checked (sizes within ``Limits``) before the task is built to learn its sizes.
    public static func decode(_ data: Data, path: String) throws -> SavedAgent {
        let agent: SavedAgent
        do { agent = try JSONDecoder().decode(SavedAgent.self, from: data) } catch {
            throw AgentFileError.unreadable(path: path, reason: SavedFile.describe(error))
        }
        guard agent.format == "spo-agent", agent.version == 1 else {
            throw AgentFileError.unreadable(
                path: path, reason: "format \(agent.format) version \(agent.version) is not spo-agent version 1")
        }
        if let problem = agent.configuration.problems().first {
            throw AgentFileError.unreadable(path: path, reason: "configuration: \(problem)")
        }
        let sizes: (observationSize: Int, actionSize: Int)
        do { sizes = try agent.configuration.taskSizes() } catch {
            throw AgentFileError.unreadable(path: path, reason: "configuration.task: \(error)")
        }
        if let problem = agent.problems(observationSize: sizes.observationSize, actionSize: sizes.actionSize).first {
            throw AgentFileError.unreadable(path: path, reason: problem)
        }
        return agent
    }
}

extension TrainerCheckpoint {
    /// Every problem of this checkpoint that its own fields show, for a task of these sizes,
    /// each naming the field and value: progress against the configuration, parameter count,
    /// optimiser moments, wrappers and environments against the number of environments, the
    /// observations' size. (Whether the optimiser covers every parameter or the critic's only
    /// is the algorithm's; ``Trainer/init(checkpoint:workers:)`` checks it against the rule.)
    public func problems(observationSize: Int, actionSize: Int) -> [String] {
        var checks = FieldChecks()
        let c = configuration
        if (0...c.updates).contains(update) {
            checks.require(
                globalStep == update * c.batchSize,
                "globalStep: must be update × batch size = \(update) × \(c.batchSize), got \(globalStep)")
        } else {
            checks.require(false, "update: must be in [0, \(c.updates)], got \(update)")
        }
        let parameterCount = c.agentParameterCount(observationSize: observationSize, actionSize: actionSize)
        checks.values(parameters.values, "parameters", count: parameterCount)
        let moments = optimizer.firstMoment.count
        checks.require(
            moments <= parameterCount,
            "optimizer.firstMoment: must have at most \(parameterCount) values, got \(moments)")
        checks.values(optimizer.firstMoment, "optimizer.firstMoment", count: moments)
        checks.values(optimizer.secondMoment, "optimizer.secondMoment", count: moments, nonNegative: true)
        checks.require(optimizer.step >= 0, "optimizer.step: must not be negative, got \(optimizer.step)")
        checks.values(objectiveState, "objectiveState", count: objectiveState.count)
        checks.require(
            objectiveState.count <= 1, "objectiveState: must have at most 1 value, got \(objectiveState.count)")
        if let rate = adaptiveLearningRate {
            checks.require(rate.isFinite && rate > 0, "adaptiveLearningRate: must be finite and positive, got \(rate)")
        }
        checks.require(
            c.adaptsLearningRate == (adaptiveLearningRate != nil),
            "adaptiveLearningRate: must be \(c.adaptsLearningRate ? "a number" : "absent") "
                + "as configuration.adaptiveLearningRate is \(c.adaptsLearningRate)"
        )
        checks.require(
            wrappers.count == c.environments,
            "wrappers: must have one entry per environment (\(c.environments)), got \(wrappers.count)")
        for (index, wrapper) in wrappers.enumerated() where index < c.environments {
            checks.wrappers(wrapper, "wrappers[\(index)]", observationSize: observationSize)
        }
        checks.require(
            environments.count == c.environments,
            "environments: must have one entry per environment (\(c.environments)), got \(environments.count)")
        if let index = environments.firstIndex(where: { $0.task != c.task }) {
            checks.require(false, "environments[\(index)].task: must be \(c.task), got \(environments[index].task)")
        }
        checks.values(observations, "observations", count: c.environments * observationSize)
        return checks.problems
    }
}
