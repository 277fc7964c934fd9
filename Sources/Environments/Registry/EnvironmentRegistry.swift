/// Every task by its Gymnasium id. A new task is one file plus one line here.
public enum EnvironmentRegistry {
    /// The tasks, each with its constructor options (Gymnasium's keywords) and defaults.
    public static let tasks: [RegisteredTask] = [
        .task("Ant-v4", Ant.taskOptions, defaults: Ant.Options()) { try Ant(options: $0) },
        .task("HalfCheetah-v4", HalfCheetah.taskOptions, defaults: HalfCheetah.Options()) {
            try HalfCheetah(options: $0)
        },
        .task("Hopper-v4", Hopper.taskOptions, defaults: Hopper.Options()) { try Hopper(options: $0) },
        .task("Humanoid-v4", Humanoid.taskOptions, defaults: Humanoid.Options()) { try Humanoid(options: $0) },
        .task("HumanoidStandup-v4", [], defaults: HumanoidStandup.Options()) { try HumanoidStandup(options: $0) },
        .task("Walker2d-v4", Walker2d.taskOptions, defaults: Walker2d.Options()) { try Walker2d(options: $0) },
    ]

    /// All registered ids, in alphabetical order.
    public static var ids: [String] { tasks.map(\.id) }

    /// The options task `id` takes (nil for an unknown task).
    public static func options(of id: String) -> TaskOptionSchema? { tasks.first { $0.id == id }?.options }

    /// A new environment of task `id` with Gymnasium's defaults changed by `options` (by
    /// Gymnasium's keyword names). Throws ``EnvironmentError/unknownTask(id:valid:)`` listing the
    /// valid ids, or ``EnvironmentError/invalidOption(task:option:value:reason:)``.
    public static func make(_ id: String, options: [String: TaskOptionValue] = [:]) throws -> any Environment {
        guard let task = tasks.first(where: { $0.id == id }) else {
            throw EnvironmentError.unknownTask(id: id, valid: ids)
        }
        return try task.make(options)
    }
}
