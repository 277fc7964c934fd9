import ArgumentParser
import Environments
import Experiments
import Learning

/// `spo train`'s training settings as flags: one per setting of ``TrainingConfiguration``
/// (``TrainingSettings``), named as in experiment files or in kebab case (`--learningRate`,
/// `--learning-rate`), given as `--NAME VALUE` or `--NAME=VALUE`; true/false settings also as
/// `--NAME` and `--no-NAME`. The flag names of earlier versions keep working.
enum TrainingFlags {
    /// Earlier flag names: the setting each stands for and, for those that take no value, the value.
    static let earlierNames: [(flag: String, setting: String, value: String?)] = [
        ("env", "task", nil), ("algo", "algorithm", nil), ("steps", "totalSteps", nil),
        ("envs", "environments", nil), ("lr", "learningRate", nil), ("delta", "trustRegionDelta", nil),
        ("cg-iterations", "conjugateGradientIterations", nil), ("npg-step-size", "naturalGradientStepSize", nil),
        ("truly-scale", "trulyRatioScale", nil), ("value-coef", "loss.valueCoefficient", nil),
        ("entropy-coef", "loss.entropyCoefficient", nil), ("max-grad-norm", "maxGradientNorm", nil),
        ("no-lr-decay", "decayLearningRate", "false"), ("adaptive-lr", "adaptiveLearningRate", "true"),
        ("no-value-clip", "loss.clipValueLoss", "false"), ("no-advantage-norm", "loss.normalizeAdvantages", "false"),
    ]

    /// The configuration the flags describe, every other setting at its default. Throws a
    /// ValidationError naming each flag that is unknown or has a wrong value.
    static func configuration(from arguments: [String]) throws -> TrainingConfiguration {
        var assignments: [TrainingSettings.Assignment] = []
        var index = arguments.startIndex
        func nextValue(for flag: String) throws -> String {
            guard index < arguments.endIndex else { throw ValidationError("\(flag) needs a value") }
            defer { index += 1 }
            return arguments[index]
        }
        while index < arguments.endIndex {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--"), argument.count > 2 else {
                throw ValidationError("unexpected argument '\(argument)'; settings are given as --NAME VALUE")
            }
            var name = String(argument.dropFirst(2))
            var value: String?
            if let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            let flag = "--\(name)"
            if name == "actor-layers" {
                // The papers' two actors by depth: 3 or 7 layers counting input and output.
                let text = try value ?? nextValue(for: flag)
                guard let hidden = Int(text).flatMap(TrainingConfiguration.actorHidden(layers:)) else {
                    throw ValidationError("--actor-layers must be 3 or 7, got '\(text)'")
                }
                assignments.append(
                    .init(name: "actorHidden", value: "\(hidden)", label: flag))
                continue
            }
            if let earlier = earlierNames.first(where: { $0.flag == name }) {
                if let fixed = earlier.value {
                    guard value == nil else { throw ValidationError("\(flag) takes no value") }
                    assignments.append(.init(name: earlier.setting, value: fixed, label: flag))
                    continue
                }
                name = earlier.setting
            }
            var setting = TrainingSettings.setting(named: name)
            var negated = false
            if setting == nil, name.hasPrefix("no-"),
                let positive = TrainingSettings.setting(named: String(name.dropFirst(3))), positive.kind == .boolean
            {
                setting = positive
                negated = true
            }
            if setting?.kind == .boolean {
                if negated {
                    guard value == nil else { throw ValidationError("\(flag) takes no value") }
                    value = "false"
                } else if value == nil, index < arguments.endIndex, !arguments[index].hasPrefix("--") {
                    value = try nextValue(for: flag)
                }
            } else if value == nil {
                value = try nextValue(for: flag)
            }
            assignments.append(.init(name: setting?.path ?? name, value: value, label: flag))
        }
        do {
            return try TrainingSettings.applying(assignments, to: TrainingConfiguration())
        } catch let error as SettingsError {
            throw ValidationError(error.description)
        }
    }

    /// The settings section of `spo train --help`: each flag, its kind, default and doc comment.
    static var help: String {
        var lines = [
            "TRAINING SETTINGS (the fields of experiment files' hyperparameters; --NAME VALUE or --NAME=VALUE, "
                + "true/false settings also --NAME and --no-NAME; names as in files work too, e.g. --learningRate):"
        ]
        for setting in TrainingSettings.all {
            var text = setting.help
            if setting.path == "task" { text += " One of \(EnvironmentRegistry.ids.joined(separator: ", "))." }
            if setting.path == "algorithm" { text += " One of \(Algorithms.names.joined(separator: ", "))." }
            let file = setting.path == setting.flag ? "" : " [\(setting.path)]"
            let value = setting.defaultValue.map { " (default \($0))" } ?? ""
            lines.append("  --\(setting.flag) <\(setting.kind.valueName)>\(file)\(value)")
            // "nil" in a doc comment is an unset optional setting.
            lines += wrapped(text.replacingOccurrences(of: "(nil: ", with: "(unset: "), indent: 6)
        }
        lines.append("  --actor-layers <3|7>")
        lines += wrapped("The papers' actors: actorHidden [64, 64] or [256, 256, 128, 128, 64, 64].", indent: 6)
        lines += wrapped(
            "Earlier names: "
                + earlierNames.map { "--\($0.flag) (\($0.setting)\($0.value.map { " \($0)" } ?? ""))" }
                .joined(separator: ", ") + ".", indent: 0)
        return lines.joined(separator: "\n")
    }

    /// `text` in lines of at most 80 columns, each indented by `indent` spaces (help is not
    /// re-wrapped when its lines fit the terminal).
    private static func wrapped(_ text: String, indent: Int) -> [String] {
        let margin = String(repeating: " ", count: indent)
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, margin.count + line.count + 1 + word.count > 80 {
                lines.append(margin + line)
                line = ""
            }
            line += line.isEmpty ? String(word) : " \(word)"
        }
        if !line.isEmpty { lines.append(margin + line) }
        return lines
    }
}

extension FieldKind {
    /// A short name for the value in help (`number`, `integer`, `true|false`, `list`).
    fileprivate var valueName: String {
        switch self {
        case .integer: return "integer"
        case .number: return "number"
        case .boolean: return "true|false"
        case .string: return "text"
        case .list: return "a,b,…"
        case .object: return "object"
        }
    }
}
