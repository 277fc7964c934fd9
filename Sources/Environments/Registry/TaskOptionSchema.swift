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
