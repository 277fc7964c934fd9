import CZlib
import Foundation

@testable import Rendering

/// Errors of the test decoders.
struct DecodeError: Error, CustomStringConvertible {
    var description: String
}

/// Decodes an 8-bit RGB, non-interlaced PNG (the kind ``PNGFile`` writes), undoing all five filters.
func decodePNG(_ data: Data) throws -> RGBImage {
    let bytes = [UInt8](data)
    guard bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else {
        throw DecodeError(description: "no PNG signature")
    }
    func u32(_ at: Int) -> Int { bytes[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
    var offset = 8, width = 0, height = 0
    var compressed: [UInt8] = []
    while offset < bytes.count {
        let length = u32(offset)
        let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
        let body = Array(bytes[(offset + 8)..<(offset + 8 + length)])
        let typed = Array(bytes[(offset + 4)..<(offset + 8 + length)])
        guard UInt32(crc32(0, typed, uInt(typed.count))) == UInt32(u32(offset + 8 + length)) else {
            throw DecodeError(description: "bad CRC in \(type)")
        }
        switch type {
        case "IHDR":
            width = body[0..<4].reduce(0) { $0 << 8 | Int($1) }
            height = body[4..<8].reduce(0) { $0 << 8 | Int($1) }
            guard body[8] == 8, body[9] == 2, body[12] == 0 else { throw DecodeError(description: "not 8-bit RGB") }
        case "IDAT": compressed += body
        default: break
        }
        offset += 12 + length
    }
    let row = width * 3
    var raw = [UInt8](repeating: 0, count: height * (row + 1))
    var rawLength = uLongf(raw.count)
    guard uncompress(&raw, &rawLength, compressed, uLong(compressed.count)) == Z_OK, Int(rawLength) == raw.count else {
        throw DecodeError(description: "bad zlib data")
    }
    var pixels = [UInt8](repeating: 0, count: height * row)
    for y in 0..<height {
        let filter = raw[y * (row + 1)]
        for x in 0..<row {
            let value = raw[y * (row + 1) + 1 + x]
            let a = x >= 3 ? Int(pixels[y * row + x - 3]) : 0
            let b = y > 0 ? Int(pixels[(y - 1) * row + x]) : 0
            let c = x >= 3 && y > 0 ? Int(pixels[(y - 1) * row + x - 3]) : 0
            let predictor: Int
            switch filter {
            case 0: predictor = 0
            case 1: predictor = a
            case 2: predictor = b
            case 3: predictor = (a + b) / 2
            case 4:
                let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
            default: throw DecodeError(description: "bad filter \(filter)")
            }
            pixels[y * row + x] = value &+ UInt8(predictor & 0xFF)
        }
    }
    return RGBImage(width: width, height: height, pixels: pixels)
}

/// A decoded GIF: its size, delays and every frame's colour indices (LZW decoded).
struct DecodedGIF {
    var width = 0, height = 0
    var delays: [Int] = []
    var frames: [[UInt8]] = []
}

/// Parses a GIF block by block and LZW-decodes every image.
func decodeGIF(_ data: Data) throws -> DecodedGIF {
    let bytes = [UInt8](data)
    guard bytes.starts(with: Array("GIF89a".utf8)) else { throw DecodeError(description: "no GIF89a header") }
    func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
    var gif = DecodedGIF(width: u16(6), height: u16(8))
    var offset = 13
    if bytes[10] & 0x80 != 0 { offset += 3 << (Int(bytes[10] & 7) + 1) }
    func subBlocks() -> [UInt8] {
        var out: [UInt8] = []
        while bytes[offset] != 0 {
            let length = Int(bytes[offset])
            out += bytes[(offset + 1)...(offset + length)]
            offset += length + 1
        }
        offset += 1
        return out
    }
    while true {
        switch bytes[offset] {
        case 0x3B:
            return gif
        case 0x21:
            if bytes[offset + 1] == 0xF9 { gif.delays.append(u16(offset + 4)) }
            offset += 2
            _ = subBlocks()
        case 0x2C:
            let width = u16(offset + 5), height = u16(offset + 7)
            guard bytes[offset + 9] & 0x80 == 0 else { throw DecodeError(description: "unexpected local colour table") }
            offset += 10
            let minimumCodeSize = Int(bytes[offset])
            offset += 1
            let indices = try lzwDecode(subBlocks(), minimumCodeSize: minimumCodeSize)
            guard indices.count == width * height else {
                throw DecodeError(description: "frame has \(indices.count) pixels, expected \(width * height)")
            }
            gif.frames.append(indices)
        default:
            throw DecodeError(description: "unexpected block 0x\(String(bytes[offset], radix: 16)) at \(offset)")
        }
    }
}

private func lzwDecode(_ data: [UInt8], minimumCodeSize: Int) throws -> [UInt8] {
    let clear = 1 << minimumCodeSize, end = clear + 1
    var table: [[UInt8]] = []
    var codeSize = minimumCodeSize + 1
    var output: [UInt8] = []
    var previous: [UInt8]? = nil
    var bitPosition = 0
    func reset() {
        table = (0..<clear).map { [UInt8($0)] } + [[], []]
        codeSize = minimumCodeSize + 1
        previous = nil
    }
    reset()
    while bitPosition + codeSize <= data.count * 8 {
        var code = 0
        for bit in 0..<codeSize where data[(bitPosition + bit) / 8] & (1 << ((bitPosition + bit) % 8)) != 0 {
            code |= 1 << bit
        }
        bitPosition += codeSize
        if code == clear { reset(); continue }
        if code == end { return output }
        let entry: [UInt8]
        if code < table.count {
            entry = table[code]
        } else if code == table.count, let previous {
            entry = previous + [previous[0]]
        } else {
            throw DecodeError(description: "bad LZW code \(code) with table of \(table.count)")
        }
        output += entry
        if let previous, table.count < 4096 { table.append(previous + [entry[0]]) }
        previous = entry
        if table.count == 1 << codeSize, codeSize < 12 { codeSize += 1 }
    }
    throw DecodeError(description: "LZW data without end code")
}
