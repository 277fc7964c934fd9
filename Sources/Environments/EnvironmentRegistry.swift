/// Every task by its Gymnasium id. A new task is one file plus one line here.
public enum EnvironmentRegistry {
    /// Constructors with default options, by id.
    public static let constructors: [(id: String, make: @Sendable () throws -> any Environment)] = [
        ("Ant-v4", { try Ant() }),
        ("HalfCheetah-v4", { try HalfCheetah() }),
        ("Hopper-v4", { try Hopper() }),
        ("Humanoid-v4", { try Humanoid() }),
        ("HumanoidStandup-v4", { try HumanoidStandup() }),
        ("Walker2d-v4", { try Walker2d() }),
    ]

    /// All registered ids, in alphabetical order.
    public static var ids: [String] { constructors.map(\.id) }

    /// A new environment of task `id` with Gymnasium's default options.
    /// Throws ``EnvironmentError/unknownTask(id:valid:)`` listing the valid ids.
    public static func make(_ id: String) throws -> any Environment {
        guard let entry = constructors.first(where: { $0.id == id }) else {
            throw EnvironmentError.unknownTask(id: id, valid: ids)
        }
        return try entry.make()
    }
}
