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
