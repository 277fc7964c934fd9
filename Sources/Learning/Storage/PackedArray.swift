import Foundation

/// An array of plain numbers encoded as its raw bytes in the machine's byte order (little-endian on
/// x86-64 and ARM64; base64 in JSON), so large
/// arrays (network parameters, optimiser moments) round-trip exactly and quickly in checkpoints.
public struct PackedArray<Element: BitwiseCopyable & Sendable>: Codable, Sendable {
    public var values: [Element]

    public init(_ values: [Element]) { self.values = values }

    public init(from decoder: Decoder) throws {
        let data = try decoder.singleValueContainer().decode(Data.self)
        let stride = MemoryLayout<Element>.stride
        guard data.count % stride == 0 else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "\(data.count) bytes is not a whole number of \(stride)-byte values"))
        }
        values = [Element](unsafeUninitializedCapacity: data.count / stride) { buffer, count in
            data.withUnsafeBytes { bytes in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: bytes)
            }
            count = data.count / stride
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(values.withUnsafeBytes { Data($0) })
    }
}
