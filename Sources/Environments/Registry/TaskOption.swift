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
