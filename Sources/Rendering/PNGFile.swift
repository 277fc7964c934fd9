import CZlib
import Foundation

/// PNG encoding (8-bit RGB, no interlacing, zlib-compressed with per-row "up" filtering).
public enum PNGFile {
    /// The PNG file bytes of `image`.
    public static func encode(_ image: RGBImage) -> Data {
        let row = image.width * 3
        // Filter type 2 ("up"): each byte minus the byte above; compresses these scenes well.
        var filtered = [UInt8](repeating: 0, count: image.height * (row + 1))
        image.pixels.withUnsafeBufferPointer { pixels in
            for y in 0..<image.height {
                let out = y * (row + 1)
                filtered[out] = y == 0 ? 0 : 2
                for x in 0..<row {
                    let value = pixels[y * row + x]
                    filtered[out + 1 + x] = y == 0 ? value : value &- pixels[(y - 1) * row + x]
                }
            }
        }
        var compressedLength = compressBound(uLong(filtered.count))
        var compressed = [UInt8](repeating: 0, count: Int(compressedLength))
        let status = compress2(&compressed, &compressedLength, filtered, uLong(filtered.count), 6)
        precondition(status == Z_OK, "zlib compress2 failed with status \(status)")
        var header = Data()
        header.appendBigEndian(UInt32(image.width))
        header.appendBigEndian(UInt32(image.height))
        header.append(contentsOf: [8, 2, 0, 0, 0])  // bit depth 8, colour type RGB, deflate, filter 0, no interlace
        var file = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        file.appendChunk("IHDR", header)
        file.appendChunk("IDAT", Data(compressed[0..<Int(compressedLength)]))
        file.appendChunk("IEND", Data())
        return file
    }
}

extension Data {
    mutating func appendBigEndian(_ value: UInt32) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }

    /// Appends a PNG chunk: length, type, data, CRC-32 of type and data.
    mutating func appendChunk(_ type: String, _ data: Data) {
        appendBigEndian(UInt32(data.count))
        let typeBytes = Array(type.utf8)
        append(contentsOf: typeBytes)
        append(data)
        let crc = data.withUnsafeBytes {
            crc32(
                crc32(0, typeBytes, uInt(typeBytes.count)), $0.bindMemory(to: UInt8.self).baseAddress, uInt(data.count))
        }
        appendBigEndian(UInt32(crc))
    }
}
