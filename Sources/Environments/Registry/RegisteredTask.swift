/// One registered task: its id, its options and how to build it with some of them changed.
public struct RegisteredTask: Sendable {
    public let id: String
    public let options: TaskOptionSchema
    let make: @Sendable ([String: TaskOptionValue]) throws -> any Environment

    /// The task `id` built by `make` from its `Options`, `defaults` changed by the named values.
    static func task<Options: Sendable>(
        _ id: String, _ options: [TaskOption<Options>], defaults: Options,
        _ make: @escaping @Sendable (Options) throws -> any Environment
    ) -> RegisteredTask {
        RegisteredTask(id: id, options: TaskOptionSchema(options, defaults: defaults)) { values in
            try make(applying(values, to: defaults, task: id, schema: options))
        }
    }
}
