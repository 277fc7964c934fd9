import Foundation

/// Writes TensorBoard event files (`events.out.tfevents.*`): TFRecord framing (length, masked
/// CRC-32C of the length, payload, masked CRC-32C of the payload) around `Event` protocol
/// buffers, hand-encoded: `wall_time` (field 1, double), `step` (2, int64), `file_version`
/// (3, string) and `summary` (5) holding `Summary.Value`s with `tag` (1) and `simple_value`
/// (2, float). TensorBoard's scalar dashboard reads them.
public enum TensorBoardEvents {
    /// The record that starts every event file.
    public static func fileVersionRecord(wallTime: Double) -> Data {
        var event = Data()
        event.appendField(1, double: wallTime)
        event.appendField(3, bytes: Data("brain.Event:2".utf8))
        return record(event)
    }

    /// One event with scalar values (tag, value) at `step`.
    public static func scalarsRecord(step: Int64, wallTime: Double, scalars: [(String, Float)]) -> Data {
        var summary = Data()
        for (tag, value) in scalars {
            var entry = Data()
            entry.appendField(1, bytes: Data(tag.utf8))
            entry.appendField(2, float: value)
            summary.appendField(1, bytes: entry)
        }
        var event = Data()
        event.appendField(1, double: wallTime)
        event.appendField(2, varint: UInt64(bitPattern: step))
        event.appendField(5, bytes: summary)
        return record(event)
    }

    /// TFRecord framing of one payload.
    static func record(_ payload: Data) -> Data {
        var length = Data()
        length.appendLittleEndian(UInt64(payload.count))
        var out = length
        out.appendLittleEndian(maskedCRC32C(length))
        out.append(payload)
        out.appendLittleEndian(maskedCRC32C(payload))
        return out
    }

    /// The scalar events of an event file: (step, tag, value) in file order, after checking every
    /// record's checksums. Throws on a damaged file.
    public static func readScalars(_ data: Data) throws -> [(step: Int64, wallTime: Double, tag: String, value: Float)]
    {
        var scalars: [(step: Int64, wallTime: Double, tag: String, value: Float)] = []
        let bytes = [UInt8](data)
        var offset = 0
        func damaged(_ reason: String) -> ExperimentError {
            .io(path: "event file", reason: "damaged at byte \(offset): \(reason)")
        }
        while offset < bytes.count {
            guard offset + 12 <= bytes.count else { throw damaged("truncated length") }
            let lengthBytes = Data(bytes[offset..<(offset + 8)])
            let length = Int(lengthBytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
            guard
                bytes[(offset + 8)..<(offset + 12)].elementsEqual(
                    withUnsafeBytes(of: maskedCRC32C(lengthBytes).littleEndian) { Array($0) })
            else { throw damaged("length checksum") }
            guard offset + 16 + length <= bytes.count else { throw damaged("truncated record") }
            let payload = Data(bytes[(offset + 12)..<(offset + 12 + length)])
            guard
                bytes[(offset + 12 + length)..<(offset + 16 + length)].elementsEqual(
                    withUnsafeBytes(of: maskedCRC32C(payload).littleEndian) { Array($0) })
            else { throw damaged("payload checksum") }
            var step: Int64 = 0, wallTime = 0.0
            var values: [(String, Float)] = []
            for (field, value) in try ProtobufFields.parse([UInt8](payload)) {
                switch (field, value) {
                case let (1, .fixed64(bits)): wallTime = Double(bitPattern: bits)
                case let (2, .varint(v)): step = Int64(bitPattern: v)
                case let (5, .bytes(summary)):
                    for case let (1, .bytes(entry)) in try ProtobufFields.parse(summary) {
                        var tag = "", number: Float = .nan
                        for field in try ProtobufFields.parse(entry) {
                            if case let (1, .bytes(text)) = field { tag = String(decoding: text, as: UTF8.self) }
                            if case let (2, .fixed32(bits)) = field { number = Float(bitPattern: bits) }
                        }
                        values.append((tag, number))
                    }
                default: break
                }
            }
            scalars += values.map { (step, wallTime, $0.0, $0.1) }
            offset += 16 + length
        }
        return scalars
    }

    /// CRC-32C (Castagnoli), masked as TFRecord does: rotate right by 15, add 0xa282ead8.
    static func maskedCRC32C(_ data: Data) -> UInt32 {
        let crc = crc32c(data)
        return ((crc >> 15) | (crc << 17)) &+ 0xa282_ead8
    }

    static func crc32c(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xffff_ffff
        for byte in data { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xff)] ^ (crc >> 8) }
        return crc ^ 0xffff_ffff
    }

    private static let crcTable: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 != 0 ? (value >> 1) ^ 0x82f6_3b78 : value >> 1 }
        return value
    }
}

/// Minimal protocol-buffer wire-format reading (varint, 64-bit, length-delimited, 32-bit fields).
enum ProtobufFields {
    enum Value { case varint(UInt64), fixed64(UInt64), bytes([UInt8]), fixed32(UInt32) }

    static func parse(_ bytes: [UInt8]) throws -> [(Int, Value)] {
        var fields: [(Int, Value)] = []
        var offset = 0
        func varint() throws -> UInt64 {
            var result: UInt64 = 0, shift: UInt64 = 0
            while true {
                guard offset < bytes.count, shift < 64 else {
                    throw ExperimentError.io(path: "event file", reason: "bad varint")
                }
                let byte = bytes[offset]
                offset += 1
                result |= UInt64(byte & 0x7f) << shift
                if byte & 0x80 == 0 { return result }
                shift += 7
            }
        }
        func fixed(_ size: Int) throws -> UInt64 {
            guard offset + size <= bytes.count else {
                throw ExperimentError.io(path: "event file", reason: "truncated field")
            }
            var value: UInt64 = 0
            for k in 0..<size { value |= UInt64(bytes[offset + k]) << (8 * UInt64(k)) }
            offset += size
            return value
        }
        while offset < bytes.count {
            let key = try varint()
            let field = Int(key >> 3)
            switch key & 7 {
            case 0: fields.append((field, .varint(try varint())))
            case 1: fields.append((field, .fixed64(try fixed(8))))
            case 2:
                let length = Int(try varint())
                guard offset + length <= bytes.count else {
                    throw ExperimentError.io(path: "event file", reason: "truncated field")
                }
                fields.append((field, .bytes(Array(bytes[offset..<(offset + length)]))))
                offset += length
            case 5: fields.append((field, .fixed32(UInt32(try fixed(4)))))
            default: throw ExperimentError.io(path: "event file", reason: "unsupported wire type \(key & 7)")
            }
        }
        return fields
    }
}

extension Data {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    mutating func appendVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            append(UInt8(value & 0x7f) | 0x80)
            value >>= 7
        }
        append(UInt8(value))
    }

    mutating func appendField(_ field: UInt64, varint value: UInt64) {
        appendVarint(field << 3)
        appendVarint(value)
    }

    mutating func appendField(_ field: UInt64, double value: Double) {
        appendVarint(field << 3 | 1)
        appendLittleEndian(value.bitPattern)
    }

    mutating func appendField(_ field: UInt64, float value: Float) {
        appendVarint(field << 3 | 5)
        appendLittleEndian(value.bitPattern)
    }

    mutating func appendField(_ field: UInt64, bytes: Data) {
        appendVarint(field << 3 | 2)
        appendVarint(UInt64(bytes.count))
        append(bytes)
    }
}
