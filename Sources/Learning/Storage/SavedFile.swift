import Foundation

/// Reading files that came from outside the program, as data only.
public enum SavedFile {
    /// The bytes of `url`, refusing (naming the path) a missing file, a directory or one larger
    /// than `limit` bytes before reading it.
    public static func contents(of url: URL, limit: Int) throws -> Data {
        var status = stat()
        guard stat(url.path, &status) == 0 else {
            throw SavedFileError(path: url.path, reason: String(cString: strerror(errno)))
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw SavedFileError(path: url.path, reason: "is not a regular file")
        }
        guard Int(status.st_size) <= limit else {
            throw SavedFileError(path: url.path, reason: "has \(status.st_size) bytes, more than the \(limit) allowed")
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw SavedFileError(path: url.path, reason: "cannot be read")
        }
        guard data.count <= limit else {
            throw SavedFileError(path: url.path, reason: "has \(data.count) bytes, more than the \(limit) allowed")
        }
        return data
    }

    /// A decoding error as `field.path: what is wrong`, the field path as in the file
    /// (`wrappers[0].observationStatistics.mean`).
    public static func describe(_ error: Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ keys: [CodingKey]) -> String {
            keys.reduce("") { text, key in
                key.intValue.map { "\(text)[\($0)]" } ?? (text.isEmpty ? key.stringValue : "\(text).\(key.stringValue)")
            }
        }
        func located(_ keys: [CodingKey], _ message: String) -> String {
            keys.isEmpty ? message : "\(path(keys)): \(message)"
        }
        switch error {
        case let .keyNotFound(key, context): return "\(located(context.codingPath + [key], "missing"))"
        case let .typeMismatch(type, context): return located(context.codingPath, "expected \(typeName(type))")
        case let .valueNotFound(type, context):
            return located(context.codingPath, "expected \(typeName(type)), got null")
        case let .dataCorrupted(context):
            return context.codingPath.isEmpty ? "not valid JSON" : located(context.codingPath, context.debugDescription)
        @unknown default: return "\(error)"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        let name = "\(type)"
        if name.hasPrefix("Array") { return "an array" }
        if name.hasPrefix("Dictionary") || name.contains("KeyedDecodingContainer") { return "an object" }
        if ["Int", "Int32", "UInt64", "Double", "Float"].contains(name) { return "a number (\(name))" }
        if name == "String" { return "a string" }
        if name == "Bool" { return "true or false" }
        return name
    }
}
