/// The value of one constructor option of a task, as Gymnasium's keyword arguments take it:
/// a number, a flag, or a (low, high) range. In JSON and YAML: `0.5`, `false`, `[0.7, 1.0]`.
public enum TaskOptionValue: Codable, Sendable, Equatable, CustomStringConvertible {
    case number(Double)
    case flag(Bool)
    case range(Double, Double)

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) {
            self = .flag(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let pair = try? container.decode([Double].self), pair.count == 2 {
            self = .range(pair[0], pair[1])
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected a number, true or false, or [low, high]")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .number(value): try container.encode(value)
        case let .flag(value): try container.encode(value)
        case let .range(low, high): try container.encode([low, high])
        }
    }

    public var description: String {
        switch self {
        case let .number(value): return "\(value)"
        case let .flag(value): return "\(value)"
        case let .range(low, high): return "[\(low), \(high)]"
        }
    }
}

/// One constructor option of a task: its Gymnasium keyword, the values it takes, and where it
/// lives in the task's `Options`.
public struct TaskOption<Options>: Sendable {
    /// The kinds of value an option takes.
    public enum Kind: Sendable, Equatable {
        /// A finite number, at least `minimum` when given.
        case number(minimum: Double?)
        case flag
        /// A (low, high) pair with low ≤ high (either may be infinite).
        case range
    }

    /// Gymnasium's keyword, e.g. `ctrl_cost_weight`.
    public let name: String
    public let kind: Kind
    let read: @Sendable (Options) -> TaskOptionValue
    let write: @Sendable (inout Options, TaskOptionValue) -> Void

    /// A number option at `path`, at least `minimum` when given.
    public static func number(
        _ name: String, _ path: WritableKeyPath<Options, Double> & Sendable, minimum: Double? = nil
    ) -> TaskOption {
        TaskOption(name: name, kind: .number(minimum: minimum), read: { .number($0[keyPath: path]) }) {
            options, value in
            if case let .number(number) = value { options[keyPath: path] = number }
        }
    }

    /// A flag option at `path`.
    public static func flag(_ name: String, _ path: WritableKeyPath<Options, Bool> & Sendable) -> TaskOption {
        TaskOption(name: name, kind: .flag, read: { .flag($0[keyPath: path]) }) { options, value in
            if case let .flag(flag) = value { options[keyPath: path] = flag }
        }
    }

    /// A (low, high) option at `path`.
    public static func range(_ name: String, _ path: WritableKeyPath<Options, (Double, Double)> & Sendable)
        -> TaskOption
    {
        TaskOption(name: name, kind: .range, read: { .range($0[keyPath: path].0, $0[keyPath: path].1) }) {
            options, value in
            if case let .range(low, high) = value { options[keyPath: path] = (low, high) }
        }
    }

    /// Why `value` is not a value of this option, or nil when it is.
    func problem(with value: TaskOptionValue) -> String? {
        switch (kind, value) {
        case let (.number(minimum), .number(number)):
            guard number.isFinite else { return "must be a finite number, got \(number)" }
            if let minimum, number < minimum { return "must be at least \(minimum), got \(number)" }
            return nil
        case (.flag, .flag):
            return nil
        case let (.range, .range(low, high)):
            guard !low.isNaN, !high.isNaN, low <= high else {
                return "must be [low, high] with low ≤ high, got \(value)"
            }
            return nil
        case (.number, _): return "must be a number, got \(value)"
        case (.flag, _): return "must be true or false, got \(value)"
        case (.range, _): return "must be [low, high], got \(value)"
        }
    }
}

/// A task's options without its `Options` type: what configuration readers and commands check
/// names and values against.
public struct TaskOptionSchema: Sendable {
    /// The option names in Gymnasium's order, with each one's default.
    public let defaults: [(name: String, value: TaskOptionValue)]
    let problem: @Sendable (String, TaskOptionValue) -> String?

    init<Options>(_ options: [TaskOption<Options>], defaults: Options) {
        self.defaults = options.map { ($0.name, $0.read(defaults)) }
        problem = { name, value in options.first { $0.name == name }?.problem(with: value) }
    }

    public var names: [String] { defaults.map(\.name) }

    /// Gymnasium's default value of option `name` (nil for an unknown name).
    public func defaultValue(_ name: String) -> TaskOptionValue? { defaults.first { $0.name == name }?.value }

    /// Why option `name` cannot be `value` (an unknown name lists the task's options), or nil.
    public func problem(task: String, name: String, value: TaskOptionValue) -> String? {
        guard defaultValue(name) != nil else {
            let known = names.isEmpty ? "\(task) has no options" : "\(task)'s options: \(names.joined(separator: ", "))"
            return "unknown option '\(name)'\(NameSuggestion.didYouMean(name, among: names)); \(known)"
        }
        return problem(name, value)
    }

    /// The options of `given` that differ from Gymnasium's defaults (nil when none do): what a
    /// run's settings, and so its id, record.
    public func nonDefault(_ given: [String: TaskOptionValue]) -> [String: TaskOptionValue]? {
        let changed = given.filter { defaultValue($0.key) != $0.value }
        return changed.isEmpty ? nil : changed
    }
}

/// Sets `values` on a task's `options`; throws ``EnvironmentError/invalidOption(task:option:value:reason:)``
/// for an unknown name or a wrong value.
func applying<Options>(
    _ values: [String: TaskOptionValue], to options: Options, task: String, schema: [TaskOption<Options>]
) throws -> Options {
    var options = options
    let checked = TaskOptionSchema(schema, defaults: options)
    for (name, value) in values.sorted(by: { $0.key < $1.key }) {
        if let problem = checked.problem(task: task, name: name, value: value) {
            throw EnvironmentError.invalidOption(task: task, option: name, value: value.description, reason: problem)
        }
        schema.first { $0.name == name }?.write(&options, value)
    }
    return options
}
