import Foundation
import Learning

/// A CSV file read into columns by header name (numbers; non-numbers are NaN).
public struct CSVTable: Sendable {
    public var header: [String]
    public var rows: [[Double]]

    public init(_ text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        header = lines.first.map { $0.split(separator: ",").map(String.init) } ?? []
        rows = lines.dropFirst().map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).map { Double($0) ?? .nan }
        }
    }

    /// Reads the file at `url`; nil when it is missing, unreadable or over ``Limits/csvBytes``.
    public init?(contentsOf url: URL) {
        guard let data = try? SavedFile.contents(of: url, limit: Limits.csvBytes) else { return nil }
        self.init(String(decoding: data, as: UTF8.self))
    }

    /// The values of column `name` (empty when there is no such column).
    public func column(_ name: String) -> [Double] {
        guard let index = header.firstIndex(of: name) else { return [] }
        return rows.map { index < $0.count ? $0[index] : .nan }
    }
}

/// A CSV field: quoted (quotes doubled) when it holds a comma, quote or newline.
func quote(_ text: String) -> String {
    text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
        ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
}
