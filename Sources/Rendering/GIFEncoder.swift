import Foundation

/// Animated GIF encoding with a fixed 6×6×6 colour cube (216 colours, each channel rounded to
/// the nearest of 0, 51, …, 255) and LZW compression; loops forever.
public struct GIFEncoder {
    /// Image width and height in pixels.
    public let width: Int, height: Int
    /// Delay between frames in hundredths of a second (GIF's unit).
    public let delayCentiseconds: Int
    /// The file bytes so far; complete after ``finish()``.
    public private(set) var data = Data()

    /// Starts a GIF of `width`×`height` pixels showing each frame for `delayCentiseconds`.
    public init(width: Int, height: Int, delayCentiseconds: Int) {
        self.width = width
        self.height = height
        self.delayCentiseconds = delayCentiseconds
        data.append(contentsOf: Array("GIF89a".utf8))
        data.appendLittleEndian(UInt16(width))
        data.appendLittleEndian(UInt16(height))
        data.append(contentsOf: [0xF7, 0, 0])  // global colour table of 256 entries, 8 bits per channel
        for index in 0..<256 {
            let cube = Swift.min(index, 215)
            data.append(contentsOf: [UInt8(cube / 36 * 51), UInt8(cube / 6 % 6 * 51), UInt8(cube % 6 * 51)])
        }
        // NETSCAPE2.0 application extension: loop forever.
        data.append(contentsOf: [0x21, 0xFF, 0x0B] + Array("NETSCAPE2.0".utf8) + [0x03, 0x01, 0x00, 0x00, 0x00])
    }

    /// Adds one frame (same size as the GIF).
    public mutating func add(_ image: RGBImage) {
        precondition(
            image.width == width && image.height == height,
            "GIF frame of \(image.width)×\(image.height) in a \(width)×\(height) GIF")
        // Graphic control extension: the frame's delay.
        data.append(contentsOf: [0x21, 0xF9, 0x04, 0x00])
        data.appendLittleEndian(UInt16(delayCentiseconds))
        data.append(contentsOf: [0x00, 0x00])
        // Image descriptor: whole canvas, global colour table.
        data.append(0x2C)
        data.appendLittleEndian(0)
        data.appendLittleEndian(0)
        data.appendLittleEndian(UInt16(width))
        data.appendLittleEndian(UInt16(height))
        data.append(0x00)
        var indices = [UInt8](repeating: 0, count: width * height)
        image.pixels.withUnsafeBufferPointer { pixels in
            for i in indices.indices {
                let r = (Int(pixels[3 * i]) + 25) / 51, g = (Int(pixels[3 * i + 1]) + 25) / 51,
                    b = (Int(pixels[3 * i + 2]) + 25) / 51
                indices[i] = UInt8(r * 36 + g * 6 + b)
            }
        }
        data.append(8)  // LZW minimum code size
        let compressed = Self.lzw(indices)
        var offset = 0
        while offset < compressed.count {
            let length = Swift.min(255, compressed.count - offset)
            data.append(UInt8(length))
            data.append(contentsOf: compressed[offset..<(offset + length)])
            offset += length
        }
        data.append(0x00)
    }

    /// Writes the trailer; add no frames afterwards.
    public mutating func finish() { data.append(0x3B) }

    /// GIF's variable-width LZW over 8-bit indices: codes 256 (clear) and 257 (end), at most
    /// 12 bits; the table is cleared when full.
    static func lzw(_ indices: [UInt8]) -> [UInt8] {
        let clear = 256, end = 257
        var output: [UInt8] = []
        var bitBuffer = 0, bitCount = 0
        var codeSize = 9
        func emit(_ code: Int) {
            bitBuffer |= code << bitCount
            bitCount += codeSize
            while bitCount >= 8 {
                output.append(UInt8(bitBuffer & 0xFF))
                bitBuffer >>= 8
                bitCount -= 8
            }
        }
        // Dictionary from (prefix code, next byte) to code.
        var table = [Int: Int]()
        var nextCode = 258
        emit(clear)
        guard var prefix = indices.first.map(Int.init) else {
            emit(end)
            if bitCount > 0 { output.append(UInt8(bitBuffer & 0xFF)) }
            return output
        }
        for byte in indices.dropFirst() {
            let key = prefix << 8 | Int(byte)
            if let code = table[key] {
                prefix = code
                continue
            }
            emit(prefix)
            if nextCode == 4096 {
                emit(clear)
                table.removeAll(keepingCapacity: true)
                nextCode = 258
                codeSize = 9
            } else {
                table[key] = nextCode
                // The decoder widens its codes one code later than the encoder adds them.
                if nextCode == 1 << codeSize { codeSize += 1 }
                nextCode += 1
            }
            prefix = Int(byte)
        }
        emit(prefix)
        emit(end)
        if bitCount > 0 { output.append(UInt8(bitBuffer & 0xFF)) }
        return output
    }
}

extension Data {
    mutating func appendLittleEndian(_ value: UInt16) {
        append(UInt8(value & 0xFF))
        append(UInt8(value >> 8))
    }
}
