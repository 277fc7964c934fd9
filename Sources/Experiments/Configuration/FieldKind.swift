import Foundation

/// The shape of a `Decodable` type's fields, found by decoding the type once from a probe
/// decoder that records every key asked for and the kind of value asked for under it.
/// Configuration files use it to accept exactly the fields ``Learning/TrainingConfiguration``
/// has (a new field there is configurable with no change here), check their value kinds, and
/// suggest the nearest field name for a typo.
public indirect enum FieldKind: Equatable, Sendable, CustomStringConvertible {
    case integer
    case number
    case boolean
    case string
    case list(FieldKind)
    /// A nested object: its fields by name.
    case object([String: FieldKind])

    /// The schema of `T`'s fields (an `.object` for structs).
    public static func of<T: Decodable>(_ type: T.Type) -> FieldKind {
        let recorder = ProbeRecorder()
        _ = try? T(from: ProbeDecoder(recorder: recorder))
        return recorder.kind ?? .object([:])
    }

    public var description: String {
        switch self {
        case .integer: return "an integer"
        case .number: return "a number"
        case .boolean: return "true or false"
        case .string: return "a string"
        case let .list(element): return "a list of \(element.plural)"
        case .object: return "an object"
        }
    }

    var plural: String {
        switch self {
        case .integer: return "integers"
        case .number: return "numbers"
        case .boolean: return "booleans"
        case .string: return "strings"
        case .list: return "lists"
        case .object: return "objects"
        }
    }
}

/// What the probe has seen: one kind for a single value, or the fields of a keyed container.
private final class ProbeRecorder {
    var kind: FieldKind?
    var fields: [String: FieldKind] = [:] {
        didSet { kind = .object(fields) }
    }
}

private struct ProbeDecoder: Decoder {
    let recorder: ProbeRecorder
    var codingPath: [CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        recorder.kind = .object(recorder.fields)
        return KeyedDecodingContainer(ProbeKeyedContainer<Key>(recorder: recorder))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer { ProbeUnkeyedContainer(recorder: recorder) }
    func singleValueContainer() throws -> SingleValueDecodingContainer { ProbeSingleValue(recorder: recorder) }
}

/// Decodes a value of type `T` from a fresh probe and returns it with the kind it asked for.
private func probe<T: Decodable>(_ type: T.Type) throws -> (T, FieldKind) {
    let recorder = ProbeRecorder()
    let value = try T(from: ProbeDecoder(recorder: recorder))
    return (value, recorder.kind ?? .object([:]))
}

/// The kind of a primitive type, or nil for types that decode themselves.
private func primitiveKind(_ type: Any.Type) -> FieldKind? {
    switch type {
    case is Bool.Type: return .boolean
    case is String.Type: return .string
    case is Double.Type, is Float.Type: return .number
    case is Int.Type, is Int8.Type, is Int16.Type, is Int32.Type, is Int64.Type,
        is UInt.Type, is UInt8.Type, is UInt16.Type, is UInt32.Type, is UInt64.Type:
        return .integer
    default: return nil
    }
}

/// A placeholder value of a primitive type (the probe's answer to every request).
private func placeholder<T>(_ type: T.Type) -> T? {
    switch type {
    case is Bool.Type: return false as? T
    case is String.Type: return "" as? T
    case is Double.Type: return 0.0 as? T
    case is Float.Type: return Float(0) as? T
    case is Int.Type: return 0 as? T
    case is Int8.Type: return Int8(0) as? T
    case is Int16.Type: return Int16(0) as? T
    case is Int32.Type: return Int32(0) as? T
    case is Int64.Type: return Int64(0) as? T
    case is UInt.Type: return UInt(0) as? T
    case is UInt8.Type: return UInt8(0) as? T
    case is UInt16.Type: return UInt16(0) as? T
    case is UInt32.Type: return UInt32(0) as? T
    case is UInt64.Type: return UInt64(0) as? T
    default: return nil
    }
}

private func probeValue<T: Decodable>(_ type: T.Type) throws -> (T, FieldKind) {
    if let kind = primitiveKind(type), let value = placeholder(type) { return (value, kind) }
    return try probe(type)
}

private struct ProbeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let recorder: ProbeRecorder
    var codingPath: [CodingKey] = []
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool { true }
    func decodeNil(forKey key: Key) throws -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let (value, kind) = try probeValue(type)
        recorder.fields[key.stringValue] = kind
        return value
    }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try decode(type, forKey: key) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decode(type as Bool.Type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decode(type as String.Type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decode(type as Double.Type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decode(type as Float.Type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decode(type as Int.Type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decode(type as Int32.Type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decode(type as Int64.Type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decode(type as UInt64.Type, key) }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try decode(type as Bool.Type, key) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        try decode(type as String.Type, key)
    }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        try decode(type as Double.Type, key)
    }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try decode(type as Float.Type, key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try decode(type as Int.Type, key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try decode(type as Int32.Type, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try decode(type as Int64.Type, key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? {
        try decode(type as UInt64.Type, key)
    }

    private func decode<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        try decode(type, forKey: key)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        let nested = ProbeRecorder()
        nested.kind = .object([:])
        recorder.fields[key.stringValue] = .object([:])
        return KeyedDecodingContainer(ProbeKeyedContainer<NestedKey>(recorder: nested))
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
        ProbeUnkeyedContainer(recorder: ProbeRecorder())
    }
    func superDecoder() throws -> Decoder { ProbeDecoder(recorder: recorder) }
    func superDecoder(forKey key: Key) throws -> Decoder { ProbeDecoder(recorder: recorder) }
}

/// Claims one element, so that a list's element kind is recorded.
private struct ProbeUnkeyedContainer: UnkeyedDecodingContainer {
    let recorder: ProbeRecorder
    var codingPath: [CodingKey] = []
    var count: Int? { 1 }
    var currentIndex = 0
    var isAtEnd: Bool { currentIndex >= 1 }

    mutating func decodeNil() throws -> Bool { false }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, kind) = try probeValue(type)
        recorder.kind = .list(kind)
        currentIndex += 1
        return value
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<
        NestedKey
    > {
        currentIndex += 1
        return KeyedDecodingContainer(ProbeKeyedContainer<NestedKey>(recorder: ProbeRecorder()))
    }
    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
        currentIndex += 1
        return ProbeUnkeyedContainer(recorder: ProbeRecorder())
    }
    mutating func superDecoder() throws -> Decoder { ProbeDecoder(recorder: recorder) }
}

private struct ProbeSingleValue: SingleValueDecodingContainer {
    let recorder: ProbeRecorder
    var codingPath: [CodingKey] = []
    func decodeNil() -> Bool { false }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, kind) = try probeValue(type)
        recorder.kind = kind
        return value
    }
}
