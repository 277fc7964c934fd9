import Foundation

/// A recorded Gymnasium trajectory file (schema version 1, docs/environments.md#case-files):
/// a task, and episodes of initial state, actions and the expected per-step results.
public struct ConformanceCaseFile: Decodable, Sendable {
    public struct Step: Decodable, Sendable {
        public let action: [Double]
        public let obs: [Double]
        public let reward: Double
        public let terminated: Bool
        public let truncated: Bool
        public let info: [String: Double]
    }

    public struct Episode: Decodable, Sendable {
        public let name: String
        /// `"float32"` or `"float64"`: the element type of the actions Gymnasium was given.
        public let actionDtype: String
        public let initQpos: [Double]
        public let initQvel: [Double]
        public let resetQpos: [Double]
        public let resetObs: [Double]
        public let steps: [Step]
    }

    public let schemaVersion: Int
    public let envId: String
    public let episodes: [Episode]

    /// The largest case file read, in bytes (the shipped ones are under 2 MB).
    public static let byteLimit = 256 << 20

    /// Reads a case file of at most ``byteLimit`` bytes. Numbers are decoded by `JSONDecoder`,
    /// which rounds decimal text to the nearest double, as bit-exact comparison needs.
    public static func load(from url: URL) throws -> ConformanceCaseFile {
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? nil
        guard let size else { throw ConformanceError.unreadable(path: url.path, reason: "cannot read the file") }
        guard size <= byteLimit else {
            throw ConformanceError.unreadable(
                path: url.path, reason: "has \(size) bytes, more than the \(byteLimit) allowed")
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ConformanceError.unreadable(path: url.path, reason: "cannot read the file")
        }
        return try decode(data, path: url.path)
    }

    /// Decodes case-file bytes (a `DecodingError` when they are not a case file); `path` names
    /// the file in the schema error.
    public static func decode(_ data: Data, path: String) throws -> ConformanceCaseFile {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let file = try decoder.decode(ConformanceCaseFile.self, from: data)
        guard file.schemaVersion == 1 else {
            throw ConformanceError.unsupportedSchema(path: path, version: file.schemaVersion)
        }
        return file
    }
}
