import ArgumentParser
import Environments

/// `--task-option NAME=VALUE` (repeatable): a task's constructor option by Gymnasium's keyword,
/// as experiment files take them under `tasks: [{name, options}]`.
struct TaskOptionArguments: ParsableArguments {
    @Option(
        name: .customLong("task-option"),
        help: ArgumentHelp(
            "A task option by Gymnasium's keyword (repeatable), e.g. ctrl_cost_weight=0, "
                + "terminate_when_unhealthy=false, healthy_z_range=0.5,2.",
            valueName: "name=value"
        ))
    var assignments: [String] = []

    /// The options for `task` that differ from Gymnasium's defaults; an unknown name or a wrong
    /// value is a ValidationError naming the option and the task's options.
    func options(for task: String) throws -> [String: TaskOptionValue] {
        guard let schema = EnvironmentRegistry.options(of: task) else { return [:] }
        var options: [String: TaskOptionValue] = [:]
        for assignment in assignments {
            let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ValidationError("--task-option must be NAME=VALUE, got '\(assignment)'")
            }
            guard let value = Self.value(parts[1]) else {
                throw ValidationError(
                    "--task-option \(parts[0]): expected a number, true or false, or LOW,HIGH; got '\(parts[1])'")
            }
            if let problem = schema.problem(task: task, name: parts[0], value: value) {
                throw ValidationError("--task-option \(parts[0]): \(problem)")
            }
            options[parts[0]] = value
        }
        return schema.nonDefault(options) ?? [:]
    }

    /// `true`/`false`, a number (`inf` allowed), or `LOW,HIGH` (brackets optional).
    static func value(_ text: String) -> TaskOptionValue? {
        if text == "true" || text == "false" { return .flag(text == "true") }
        let bounds = text.trimmingCharacters(in: ["[", "]"]).split(separator: ",", omittingEmptySubsequences: false)
            .map { Double($0.trimmingCharacters(in: .whitespaces)) }
        if bounds.count == 2, let low = bounds[0], let high = bounds[1] { return .range(low, high) }
        return Double(text).map(TaskOptionValue.number)
    }
}

extension Dictionary {
    /// nil for an empty dictionary (settings record "no options" as absent).
    var nilIfEmpty: Self? { isEmpty ? nil : self }
}
