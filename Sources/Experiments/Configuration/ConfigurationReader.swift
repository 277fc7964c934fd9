import Environments
import Foundation
import Learning
import Rendering
import Yams

/// Walks a composed YAML/JSON document and builds an ``ExperimentConfiguration``, collecting
/// every problem with its line, column and field path instead of stopping at the first.
struct ConfigurationReader {
    private(set) var problems: [String] = []
    /// The schema of the training settings `hyperparameters` and `overrides` may set.
    static let trainingSchema: [String: FieldKind] = {
        guard case let .object(fields) = FieldKind.of(TrainingConfiguration.self) else { return [:] }
        return fields
    }()

    static func describe(_ error: YamlError) -> String {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
            let .composer(context, problem, mark, _):
            return "\(mark.line):\(mark.column): malformed YAML: \(context.map { "\($0.text) " } ?? "")\(problem)"
        case let .duplicatedKeysInMapping(duplicates, _):
            return "duplicate keys \(duplicates.joined(separator: ", "))"
        default:
            return "malformed YAML: \(error)"
        }
    }

    /// Settings laid over the document from the command line (`--set`); problems with them say so.
    var overrides: [ExperimentOverride] = []

    mutating func problem(_ node: Node?, _ path: String, _ message: String) {
        let location = node?.mark.map { "\($0.line):\($0.column): " } ?? " "
        let override = overrides.last { override in
            let given = override.documentPath.joined(separator: ".")
            return node?.mark == nil && (path == given || path.hasPrefix(given + ".") || path.hasPrefix(given + "["))
        }
        problems.append(
            "\(location)\(path.isEmpty ? "" : "\(path): ")\(message)"
                + (override.map { " (from --set \($0.text))" } ?? ""))
    }

    // MARK: The document

    mutating func read(_ root: Node?, file: String) -> ExperimentConfiguration? {
        guard let root else { return nil }
        guard let mapping = root.mapping else {
            problem(
                root, "", "expected an object with fields \(ExperimentConfiguration.fields.joined(separator: ", "))")
            return nil
        }
        let fields = checkedFields(mapping, path: "", allowed: ExperimentConfiguration.fields)
        for required in ["name", "tasks", "algorithms", "seeds"] where fields[required] == nil {
            problem(root, "", "missing required field '\(required)'")
        }
        let name = fields["name"].flatMap { readName($0) }
        let tasks = fields["tasks"].map { readTasks($0) } ?? []
        let algorithms = fields["algorithms"].map { readAlgorithms($0) } ?? []
        let networks = fields["networks"].map { readNetworks($0) } ?? [NetworkVariant.named("3-layer")!]
        let seeds = fields["seeds"].map { readSeeds($0) } ?? []
        let totalSteps = fields["totalSteps"].map { integer($0, "totalSteps", minimum: 1) } ?? 10_000_000
        let hyperparameters =
            fields["hyperparameters"].map { trainingOverrides($0, path: "hyperparameters") } ?? (
                values: [:], nodes: [:]
            )
        let evaluation = fields["evaluation"].map { readEvaluation($0) } ?? EvaluationSettings()
        let checkpointEvery = fields["checkpointEvery"].map { integer($0, "checkpointEvery", minimum: 1) } ?? 10
        if let description = fields["description"], description.scalar == nil {
            problem(description, "description", "expected a string")
        }
        guard problems.isEmpty, let name, let totalSteps, let checkpointEvery else { return nil }

        // The grid: every run resolved and checked.
        guard let defaults = try? JSONValue.of(TrainingConfiguration()) else { return nil }
        var runs: [RunSpecification] = []
        var reported = Set<String>()
        for task in tasks {
            for (index, variant) in algorithms.enumerated() {
                for network in networks {
                    for seed in seeds {
                        let merged = defaults.merging(hyperparameters.values).merging(variant.overrides).merging([
                            "task": .string(task), "algorithm": .string(variant.algorithm),
                            "totalSteps": .integer(Int64(totalSteps)),
                            "actorHidden": .list(network.actorHidden.map { .integer(Int64($0)) }),
                            "criticHidden": .list(network.criticHidden.map { .integer(Int64($0)) }),
                        ])
                        guard var training = try? merged.decode(TrainingConfiguration.self) else {
                            problem(nil, "algorithms[\(index)]", "the settings do not form a training configuration")
                            continue
                        }
                        training.seed = seed
                        // The task's own options, then those of hyperparameters and overrides; only
                        // values that differ from Gymnasium's defaults are kept (and hashed into the id).
                        let options = (taskOptions[task] ?? [:]).merging(training.taskOptions ?? [:]) { $1 }
                        training.taskOptions = EnvironmentRegistry.options(of: task)?.nonDefault(options)
                        for message in training.problems() where reported.insert("\(index) \(task) \(message)").inserted
                        {
                            // Point at the override or hyperparameter the message is about, when there is one
                            // (the longest key the message names, so a task option wins over `taskOptions`).
                            let keys =
                                (algorithmOverrideNodes[index]?.keys.sorted() ?? [])
                                + hyperparameters.nodes.keys.sorted()
                            let key = keys.sorted { $0.count > $1.count }.first { message.contains($0) }
                            // The path is said once: "taskOptions.x: …" becomes "….taskOptions.x: …".
                            let detail =
                                key.map {
                                    message.hasPrefix("\($0): ") ? String(message.dropFirst($0.count + 2)) : message
                                } ?? message
                            if let key, let node = algorithmOverrideNodes[index]?[key] {
                                problem(node, "algorithms[\(index)].overrides.\(key)", detail)
                            } else if let key, let node = hyperparameters.nodes[key] {
                                problem(node, "hyperparameters.\(key)", "\(detail) (with algorithm '\(variant.label)')")
                            } else {
                                problem(nil, "algorithms[\(index)]", "\(message) (algorithm '\(variant.label)')")
                            }
                        }
                        runs.append(
                            RunSpecification(
                                experiment: name, task: task, algorithm: variant.label, network: network.label,
                                seed: seed,
                                training: training, evaluation: evaluation, checkpointEvery: checkpointEvery))
                    }
                }
            }
        }
        guard problems.isEmpty else { return nil }
        return ExperimentConfiguration(
            name: name, file: file, tasks: tasks, algorithms: algorithms, networks: networks, seeds: seeds,
            totalSteps: totalSteps, evaluation: evaluation, checkpointEvery: checkpointEvery, runs: runs)
    }

    /// The nodes of each algorithm's overrides, by algorithm index and key (for error locations).
    private var algorithmOverrideNodes: [Int: [String: Node]] = [:]
    /// The options given with each task (`tasks: [{name, options}]`).
    private var taskOptions: [String: [String: TaskOptionValue]] = [:]

    /// A mapping of task options by Gymnasium's keyword: numbers, true or false, or [low, high].
    private mutating func taskOptionValues(_ node: Node, path: String) -> [(String, (TaskOptionValue, Node))] {
        guard let mapping = node.mapping else {
            problem(node, path, "expected an object of task options by Gymnasium's names, got \(describe(node))")
            return []
        }
        var values: [(String, (TaskOptionValue, Node))] = []
        for (keyNode, value) in mapping {
            guard let name = keyNode.scalar?.string else {
                problem(keyNode, path, "keys must be strings")
                continue
            }
            let optionPath = "\(path).\(name)"
            if values.contains(where: { $0.0 == name }) {
                problem(keyNode, optionPath, "option '\(name)' is given twice")
            }
            if let scalar = value.scalar, scalar.style == .plain, ["true", "false"].contains(scalar.string) {
                values.append((name, (.flag(scalar.string == "true"), value)))
            } else if let sequence = value.sequence {
                // YAML writes infinity as .inf (open-ended ranges such as Hopper's healthy_z_range).
                let infinities = [
                    ".inf": Double.infinity, "+.inf": .infinity, "-.inf": -Double.infinity, ".Inf": .infinity,
                    "-.Inf": -.infinity,
                ]
                let bounds = sequence.compactMap { plainNumber($0) ?? $0.scalar.flatMap { infinities[$0.string] } }
                if bounds.count == 2, sequence.count == 2 {
                    values.append((name, (.range(bounds[0], bounds[1]), value)))
                } else {
                    problem(value, optionPath, "expected [low, high], got \(describe(value))")
                }
            } else if let number = plainNumber(value) {
                values.append((name, (.number(number), value)))
            } else {
                problem(value, optionPath, "expected a number, true or false, or [low, high], got \(describe(value))")
            }
        }
        return values
    }

    // MARK: Fields

    private mutating func readName(_ node: Node) -> String? {
        guard let name = string(node, "name") else { return nil }
        let allowed = name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
        guard !name.isEmpty, allowed, !name.hasPrefix(".") else {
            problem(node, "name", "'\(name)' must be a non-empty directory name of letters, digits, '-', '_' and '.'")
            return nil
        }
        return name
    }

    /// Task ids; a task given as `{name, options}` also records its options in ``taskOptions``.
    private mutating func readTasks(_ node: Node) -> [String] {
        let items = list(node, "tasks")
        var tasks: [String] = []
        for (index, item) in items.enumerated() {
            var nameNode = item, optionsNode: Node?
            if let mapping = item.mapping {
                let fields = checkedFields(mapping, path: "tasks[\(index)]", allowed: ["name", "options"])
                guard let node = fields["name"] else {
                    problem(item, "tasks[\(index)]", "missing required field 'name'")
                    continue
                }
                nameNode = node
                optionsNode = fields["options"]
            }
            guard let task = string(nameNode, "tasks[\(index)]") else { continue }
            if let optionsNode, let schema = EnvironmentRegistry.options(of: task) {
                let path = "tasks[\(index)].options"
                var options: [String: TaskOptionValue] = [:]
                for (name, (value, valueNode)) in taskOptionValues(optionsNode, path: path) {
                    if let message = schema.problem(task: task, name: name, value: value) {
                        problem(valueNode, "\(path).\(name)", message)
                    } else {
                        options[name] = value
                    }
                }
                taskOptions[task] = options
            }
            if !EnvironmentRegistry.ids.contains(task) {
                problem(
                    item, "tasks[\(index)]",
                    "unknown task '\(task)'\(NameSuggestion.didYouMean(task, among: EnvironmentRegistry.ids)); "
                        + "known: \(EnvironmentRegistry.ids.joined(separator: ", "))"
                )
            } else if tasks.contains(task) {
                problem(item, "tasks[\(index)]", "task '\(task)' is listed twice")
            } else {
                tasks.append(task)
            }
        }
        return tasks
    }

    private mutating func readAlgorithms(_ node: Node) -> [AlgorithmVariant] {
        var variants: [AlgorithmVariant] = []
        for (index, item) in list(node, "algorithms").enumerated() {
            let path = "algorithms[\(index)]"
            var name: String?, label: String?, overrides: [String: JSONValue] = [:]
            var nameNode = item
            if item.scalar != nil {
                name = string(item, path)
            } else if let mapping = item.mapping {
                let fields = checkedFields(mapping, path: path, allowed: ["name", "label", "overrides"])
                if let node = fields["name"] {
                    name = string(node, "\(path).name"); nameNode = node
                } else {
                    problem(item, path, "missing required field 'name'")
                }
                if let node = fields["label"] { label = string(node, "\(path).label") }
                if let node = fields["overrides"] {
                    let read = trainingOverrides(node, path: "\(path).overrides")
                    overrides = read.values
                    algorithmOverrideNodes[index] = read.nodes
                }
            } else {
                problem(item, path, "expected an algorithm name or an object {name, label, overrides}")
            }
            guard let name else { continue }
            guard Algorithms.names.contains(name) else {
                problem(
                    nameNode, path,
                    "unknown algorithm '\(name)'\(NameSuggestion.didYouMean(name, among: Algorithms.names)); "
                        + "known: \(Algorithms.names.joined(separator: ", "))"
                )
                continue
            }
            let variant = AlgorithmVariant(label: label ?? name, algorithm: name, overrides: overrides)
            if variants.contains(where: { $0.label == variant.label }) {
                problem(item, path, "label '\(variant.label)' is used twice; give each variant its own 'label'")
            }
            variants.append(variant)
        }
        return variants
    }

    private mutating func readNetworks(_ node: Node) -> [NetworkVariant] {
        var networks: [NetworkVariant] = []
        for (index, item) in list(node, "networks").enumerated() {
            let path = "networks[\(index)]"
            var network: NetworkVariant?
            if item.scalar != nil {
                guard let label = string(item, path) else { continue }
                network = NetworkVariant.named(label)
                if network == nil {
                    problem(
                        item, path,
                        "unknown network '\(label)'\(NameSuggestion.didYouMean(label, among: ["3-layer", "7-layer"])); "
                            + "known: 3-layer, 7-layer, or {label, actorHidden, criticHidden}"
                    )
                }
            } else if let mapping = item.mapping {
                let fields = checkedFields(mapping, path: path, allowed: ["label", "actorHidden", "criticHidden"])
                let label = fields["label"].flatMap { string($0, "\(path).label") }
                if fields["label"] == nil { problem(item, path, "missing required field 'label'") }
                let actor = fields["actorHidden"].flatMap { layerSizes($0, "\(path).actorHidden") }
                if fields["actorHidden"] == nil { problem(item, path, "missing required field 'actorHidden'") }
                let critic = fields["criticHidden"].map { layerSizes($0, "\(path).criticHidden") } ?? [64, 64]
                if let label, let actor, let critic {
                    network = NetworkVariant(label: label, actorHidden: actor, criticHidden: critic)
                }
            } else {
                problem(item, path, "expected '3-layer', '7-layer' or an object {label, actorHidden, criticHidden}")
            }
            guard let network else { continue }
            if networks.contains(where: { $0.label == network.label }) {
                problem(item, path, "network '\(network.label)' is listed twice")
            }
            networks.append(network)
        }
        return networks
    }

    private mutating func layerSizes(_ node: Node, _ path: String) -> [Int]? {
        let items = list(node, path)
        let sizes = items.enumerated().compactMap { integer($1, "\(path)[\($0)]", minimum: 1) }
        return sizes.count == items.count && !items.isEmpty ? sizes : nil
    }

    private mutating func readSeeds(_ node: Node) -> [UInt64] {
        var seeds: [UInt64] = []
        for (index, item) in list(node, "seeds").enumerated() {
            guard let seed = integer(item, "seeds[\(index)]", minimum: 0) else { continue }
            if seeds.contains(UInt64(seed)) { problem(item, "seeds[\(index)]", "seed \(seed) is listed twice") }
            seeds.append(UInt64(seed))
        }
        return seeds
    }

    private mutating func readEvaluation(_ node: Node) -> EvaluationSettings {
        var settings = EvaluationSettings()
        guard let mapping = node.mapping else {
            problem(node, "evaluation", "expected an object with fields episodes, deterministic, seed, video")
            return settings
        }
        let fields = checkedFields(
            mapping, path: "evaluation", allowed: ["episodes", "deterministic", "seed", "video"])
        if let node = fields["episodes"], let value = integer(node, "evaluation.episodes", minimum: 0) {
            settings.episodes = value
        }
        if let node = fields["deterministic"], let value = boolean(node, "evaluation.deterministic") {
            settings.deterministic = value
        }
        if let node = fields["seed"], let value = integer(node, "evaluation.seed", minimum: 0) {
            settings.seed = UInt64(value)
        }
        if let node = fields["video"] { settings.video = readVideo(node) }
        return settings
    }

    /// `video: true` (the defaults), `false`, or an object of ``VideoSettings`` fields.
    private mutating func readVideo(_ node: Node) -> VideoSettings? {
        guard let mapping = node.mapping else {
            return boolean(node, "evaluation.video").flatMap { $0 ? VideoSettings() : nil }
        }
        var video = VideoSettings()
        let fields = checkedFields(
            mapping, path: "evaluation.video", allowed: ["episodes", "width", "height", "format", "quality"])
        if let node = fields["episodes"], let value = integer(node, "evaluation.video.episodes", minimum: 1) {
            video.episodes = value
        }
        for (key, keyPath) in [("width", \VideoSettings.width), ("height", \VideoSettings.height)] {
            guard let node = fields[key], let value = integer(node, "evaluation.video.\(key)", minimum: 1) else {
                continue
            }
            if value > 8192 {
                problem(node, "evaluation.video.\(key)", "must be at most 8192, got \(value)")
            } else {
                video[keyPath: keyPath] = value
            }
        }
        if let node = fields["format"], let value = string(node, "evaluation.video.format") {
            if let format = VideoSettings.Format(rawValue: value) {
                video.format = format
            } else {
                problem(node, "evaluation.video.format", "must be mp4 or gif, got '\(value)'")
            }
        }
        if let node = fields["quality"], let value = string(node, "evaluation.video.quality") {
            if let quality = RenderQuality(rawValue: value) {
                video.quality = quality
            } else {
                problem(node, "evaluation.video.quality", "must be fast or full, got '\(value)'")
            }
        }
        return video
    }

    /// Training settings from a mapping, checked against ``TrainingConfiguration``'s fields.
    private mutating func trainingOverrides(_ node: Node, path: String) -> (
        values: [String: JSONValue], nodes: [String: Node]
    ) {
        guard let mapping = node.mapping else {
            problem(node, path, "expected an object of training settings")
            return ([:], [:])
        }
        var values: [String: JSONValue] = [:], nodes: [String: Node] = [:]
        let allowed = Self.trainingSchema.keys.filter { ExperimentConfiguration.gridFields[$0] == nil }.sorted()
        for (key, value) in checkedFields(
            mapping, path: path, allowed: Self.trainingSchema.keys.sorted(), suggestions: allowed)
        {
            if let owner = ExperimentConfiguration.gridFields[key] {
                problem(
                    mapping.first { $0.key.string == key }?.key, "\(path).\(key)",
                    "'\(key)' is set by \(owner), not here")
                continue
            }
            if value.scalar.map(isNull) == true { continue }  // null: keep the default
            if key == "taskOptions" {
                // Checked against each task of the grid once the runs are resolved.
                let options = taskOptionValues(value, path: "\(path).\(key)")
                values[key] = .object(Dictionary(options.map { ($0.0, (try? JSONValue.of($0.1.0)) ?? .null) }) { $1 })
                nodes[key] = value
                for (name, (_, node)) in options { nodes["\(key).\(name)"] = node }
                continue
            }
            if let converted = convert(value, to: Self.trainingSchema[key]!, path: "\(path).\(key)") {
                values[key] = converted
                nodes[key] = value
            }
        }
        return (values, nodes)
    }

    /// A node as a JSON value of the given kind, or nil (with a problem) when it is not one.
    mutating func convert(_ node: Node, to kind: FieldKind, path: String) -> JSONValue? {
        switch kind {
        case .integer: return integer(node, path, minimum: nil).map { .integer(Int64($0)) }
        case .number: return number(node, path).map { .number($0) }
        case .boolean: return boolean(node, path).map { .boolean($0) }
        case .string: return string(node, path).map { .string($0) }
        case let .list(element):
            guard node.sequence != nil else {
                problem(node, path, "expected \(kind), got \(describe(node))")
                return nil
            }
            let items = list(node, path)
            let converted = items.enumerated().compactMap { convert($1, to: element, path: "\(path)[\($0)]") }
            return converted.count == items.count ? .list(converted) : nil
        case let .object(fields):
            guard let mapping = node.mapping else {
                problem(
                    node, path,
                    "expected an object with fields \(fields.keys.sorted().joined(separator: ", ")), "
                        + "got \(describe(node))"
                )
                return nil
            }
            var values: [String: JSONValue] = [:]
            for (key, value) in checkedFields(mapping, path: path, allowed: fields.keys.sorted()) {
                guard let converted = convert(value, to: fields[key]!, path: "\(path).\(key)") else { continue }
                values[key] = converted
            }
            return .object(values)
        }
    }

    // MARK: Primitives

    /// The fields of a mapping by key; unknown and duplicate keys are problems, with the nearest known key suggested.
    private mutating func checkedFields(
        _ mapping: Node.Mapping, path: String, allowed: [String], suggestions: [String]? = nil
    ) -> [String: Node] {
        var fields: [String: Node] = [:]
        for (keyNode, value) in mapping {
            let fieldPath = path.isEmpty ? "" : path
            guard let key = keyNode.scalar?.string else {
                problem(keyNode, fieldPath, "keys must be strings")
                continue
            }
            guard allowed.contains(key) else {
                problem(
                    keyNode, path.isEmpty ? key : "\(path).\(key)",
                    "unknown field '\(key)'\(NameSuggestion.didYouMean(key, among: suggestions ?? allowed)); "
                        + "known: \((suggestions ?? allowed).joined(separator: ", "))"
                )
                continue
            }
            if fields[key] != nil {
                problem(keyNode, path.isEmpty ? key : "\(path).\(key)", "field '\(key)' is given twice")
            }
            fields[key] = value
        }
        return fields
    }

    private mutating func list(_ node: Node, _ path: String) -> [Node] {
        guard let sequence = node.sequence else {
            problem(node, path, "expected a list, got \(describe(node))")
            return []
        }
        if sequence.isEmpty { problem(node, path, "the list is empty") }
        return Array(sequence)
    }

    private func isNull(_ scalar: Node.Scalar) -> Bool {
        scalar.style == .plain && ["null", "~", ""].contains(scalar.string)
    }

    private func describe(_ node: Node) -> String {
        switch node {
        case let .scalar(scalar):
            if isNull(scalar) { return "null" }
            return scalar.style == .plain ? "'\(scalar.string)'" : "the string \"\(scalar.string)\""
        case .mapping: return "an object"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    private mutating func string(_ node: Node, _ path: String) -> String? {
        guard let scalar = node.scalar, !isNull(scalar) else {
            problem(node, path, "expected a string, got \(describe(node))")
            return nil
        }
        return scalar.string
    }

    /// A plain (unquoted) number; integers may be written as 1000000, 1_000_000 or 1e6.
    private mutating func plainNumber(_ node: Node) -> Double? {
        guard let scalar = node.scalar, scalar.style == .plain else { return nil }
        return Double(scalar.string.replacingOccurrences(of: "_", with: ""))
    }

    private mutating func integer(_ node: Node, _ path: String, minimum: Int?) -> Int? {
        let text = node.scalar?.string.replacingOccurrences(of: "_", with: "") ?? ""
        let exact = node.scalar?.style == .plain ? Int(text) : nil
        guard let value = exact ?? plainNumber(node).flatMap({ $0.rounded() == $0 && abs($0) < 9e15 ? Int($0) : nil })
        else {
            problem(node, path, "expected an integer, got \(describe(node))")
            return nil
        }
        if let minimum, value < minimum {
            problem(node, path, "must be at least \(minimum), got \(value)")
            return nil
        }
        return value
    }

    private mutating func number(_ node: Node, _ path: String) -> Double? {
        guard let value = plainNumber(node), value.isFinite else {
            problem(node, path, "expected a number, got \(describe(node))")
            return nil
        }
        return value
    }

    private mutating func boolean(_ node: Node, _ path: String) -> Bool? {
        guard let scalar = node.scalar, scalar.style == .plain, ["true", "false"].contains(scalar.string) else {
            problem(node, path, "expected true or false, got \(describe(node))")
            return nil
        }
        return scalar.string == "true"
    }
}
