import Environments
import Foundation

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
