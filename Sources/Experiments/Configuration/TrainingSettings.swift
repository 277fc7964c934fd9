import Environments
import Foundation
import Learning
import Yams

/// The training settings by their paths in experiment files (`learningRate`,
/// `loss.entropyCoefficient`), each with its kind, default and help: the flags of `spo train`
/// and the paths of `spo run --set`.
///
/// Everything here is derived from ``Learning/TrainingConfiguration``: its fields (through
/// ``FieldKind``), its defaults (an instance) and its doc comments
/// (``Learning/TrainingConfiguration/settingHelp``), so a new field is a flag and an override
/// with no change here.
public enum TrainingSettings {
    /// One setting.
    public struct Setting: Sendable, Equatable {
        /// The path in experiment files, e.g. `loss.entropyCoefficient`.
        public let path: String
        public let kind: FieldKind
        /// The doc comment of the field.
        public let help: String
        /// The default as a file would write it; nil for an optional setting, unset by default.
        public let defaultValue: String?

        /// The command-line flag: the last component of the path in kebab case
        /// (`entropy-coefficient`, `desired-kl`).
        public var flag: String {
            let name = path.split(separator: ".").last.map(String.init) ?? path
            var flag = ""
            var previous: Character?
            for character in name {
                if character.isUppercase, let previous, previous.isLowercase { flag.append("-") }
                flag.append(contentsOf: character.lowercased())
                previous = character
            }
            return flag
        }
    }

    /// Every setting a flag or `--set` can give, in declaration order. Task options are left to
    /// their own syntax (`--task-option`, `tasks: [{name, options}]`), and the nested `loss`
    /// object appears as its fields.
    public static let all: [Setting] = {
        let fields = ConfigurationReader.trainingSchema
        guard case let .object(defaults)? = try? JSONValue.of(TrainingConfiguration()) else { return [] }
        var settings: [Setting] = []
        for (path, help) in TrainingConfiguration.settingHelp {
            let components = path.split(separator: ".").map(String.init)
            var kind: FieldKind? = fields[components[0]]
            var value: JSONValue? = defaults[components[0]]
            for component in components.dropFirst() {
                guard case let .object(nested)? = kind, case let .object(nestedValues)? = value else {
                    kind = nil
                    break
                }
                kind = nested[component]
                value = nestedValues[component]
            }
            guard let kind, path != "taskOptions" else { continue }
            if case .object = kind { continue }
            settings.append(Setting(path: path, kind: kind, help: help, defaultValue: value.map(\.text)))
        }
        return settings
    }()

    /// The setting a name stands for: its path (`learningRate`, `loss.entropyCoefficient`) or
    /// flag (`learning-rate`, `entropy-coefficient`), case and dashes aside.
    public static func setting(named name: String) -> Setting? {
        let key = canonical(name)
        return all.first { canonical($0.path) == key } ?? all.first { canonical($0.flag) == key }
    }

    private static func canonical(_ name: String) -> String {
        name.lowercased().replacingOccurrences(of: "-", with: "")
    }

    /// One setting given on the command line: its name (a path or flag name), the value's text
    /// (nil for a bare boolean flag, meaning true) and how the user wrote it, for messages.
    public struct Assignment: Sendable, Equatable {
        public var name: String
        public var value: String?
        public var label: String
        public init(name: String, value: String?, label: String? = nil) {
            self.name = name
            self.value = value
            self.label = label ?? name
        }
    }

    /// `base` with `assignments` applied in order, each value read and checked as an experiment
    /// file's would be, and the result checked as a whole. Throws ``SettingsError`` with every
    /// problem, each naming the setting as the user wrote it and the value.
    public static func applying(_ assignments: [Assignment], to base: TrainingConfiguration) throws
        -> TrainingConfiguration
    {
        var reader = ConfigurationReader()
        var merged = try JSONValue.of(base)
        for assignment in assignments {
            guard let setting = setting(named: assignment.name) else {
                reader.problem(
                    nil, assignment.label,
                    "unknown setting\(NameSuggestion.didYouMean(assignment.name, among: all.map(\.flag)))")
                continue
            }
            guard let node = valueNode(assignment.value ?? "true", kind: setting.kind) else {
                reader.problem(nil, assignment.label, "cannot read the value '\(assignment.value ?? "")'")
                continue
            }
            guard let value = reader.convert(node, to: setting.kind, path: assignment.label) else { continue }
            let components = setting.path.split(separator: ".").map(String.init)
            let candidate = merged.merging([
                components[0]: components.dropFirst().reversed().reduce(value) { .object([$1: $0]) }
            ])
            // A number of the right kind may still not fit the field (a negative seed).
            guard (try? candidate.decode(TrainingConfiguration.self)) != nil else {
                reader.problem(nil, assignment.label, "\(value.text) is out of range for \(setting.path)")
                continue
            }
            merged = candidate
        }
        guard reader.problems.isEmpty else { throw SettingsError(problems: reader.problems) }
        let configuration: TrainingConfiguration
        do { configuration = try merged.decode(TrainingConfiguration.self) } catch {
            throw SettingsError(problems: ["the settings do not form a training configuration: \(error)"])
        }
        let problems = configuration.problems()
        guard problems.isEmpty else { throw SettingsError(problems: problems) }
        return configuration
    }

    /// The YAML node of a value's text, without source positions (the text is not a file). A
    /// list may be written without brackets (`64,64`).
    static func valueNode(_ text: String, kind: FieldKind) -> Node? {
        var text = text
        if case .list = kind, !text.hasPrefix("[") { text = "[\(text)]" }
        return (try? Yams.compose(yaml: text))??.unmarked
    }
}

/// Settings given on the command line that are invalid: every problem.
public struct SettingsError: Error, CustomStringConvertible, Equatable {
    public var problems: [String]
    public init(problems: [String]) {
        // The reader's problems start with a file position, which values from a command line lack.
        self.problems = problems.map { $0.trimmingCharacters(in: .whitespaces) }
    }
    public var description: String { problems.joined(separator: "\n") }
}

extension JSONValue {
    /// The value as an experiment file would write it (`3e-4`, `true`, `[64, 64]`).
    var text: String {
        switch self {
        case .null: return "null"
        case let .boolean(value): return "\(value)"
        case let .integer(value): return "\(value)"
        case let .number(value): return "\(value)"
        case let .string(value): return value
        case let .list(items): return "[\(items.map(\.text).joined(separator: ", "))]"
        case let .object(fields):
            return
                "{\(fields.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.text)" }.joined(separator: ", "))}"
        }
    }
}

extension Node {
    /// The node without source positions.
    var unmarked: Node {
        switch self {
        case let .scalar(scalar): return .scalar(.init(scalar.string, scalar.tag, scalar.style))
        case let .mapping(mapping):
            return .mapping(.init(mapping.map { ($0.key.unmarked, $0.value.unmarked) }, mapping.tag, mapping.style))
        case let .sequence(sequence): return .sequence(.init(sequence.map(\.unmarked), sequence.tag, sequence.style))
        case .alias: return self
        }
    }
}
