import Foundation

extension JSONEncoder {
    /// An encoder with sorted keys (stable bytes for the same value) that writes NaN and
    /// infinities as the strings "nan", "inf" and "-inf" (a run without late episodes has a NaN
    /// final return).
    public static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// ``sorted``, indented (files people read: run.json, summary.json, caches).
    public static var pretty: JSONEncoder {
        let encoder = sorted
        encoder.outputFormatting.insert(.prettyPrinted)
        return encoder
    }
}

extension JSONDecoder {
    /// A decoder that reads what ``JSONEncoder/sorted`` writes.
    public static var nonFinite: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}
