import Foundation
import Learning

/// Another implementation's per-seed results for some settings (e.g. the SPO authors' code run
/// on this machine), read from a JSON file and shown beside ours by `spo table --reference`:
///
/// ```json
/// {"description": "how they were measured", "source": "whose code, when",
///  "runs": [{"task": "Hopper-v4", "algorithm": "ppo", "network": "3-layer", "totalSteps": 1000000,
///            "seeds": [1, 2, 3], "returnLast10": [..], "ratioDeviation": [..], "kl": [..]}]}
/// ```
///
/// Each list of values has one number per seed. Other fields (e.g. an entry's entropy) are
/// allowed and not shown.
public struct ReferenceResults: Sendable, Equatable {
    /// One setting's results: the values of each seed, in the order of `seeds`.
    public struct Entry: Sendable, Equatable {
        public var task: String
        /// The algorithm and network as the table shows them (labels).
        public var algorithm: String
        public var network: String
        public var totalSteps: Int
        public var seeds: [Int]
        /// Mean episodic return over the last 10% of the steps, ratio deviation, mean KL.
        public var finalReturns: [Double]
        public var ratioDeviations: [Double]
        public var meanKLs: [Double]
    }

    /// A short attribution, shown under the table (the file's `description` says more).
    public var source: String
    public var runs: [Entry]

    /// The entry for a table row's setting, if any.
    public func entry(task: String, algorithm: String, network: String, totalSteps: Int) -> Entry? {
        runs.first {
            $0.task == task && $0.algorithm == algorithm && $0.network == network && $0.totalSteps == totalSteps
        }
    }

    /// Reads and checks the file at `path`. An unreadable file throws ``ExperimentError/io``;
    /// invalid JSON or a missing or mistyped field throws ``ExperimentError/invalidConfiguration``
    /// with every problem, each naming its field, e.g. `runs[2].kl: expected an array of numbers`.
    public static func load(path: String) throws -> ReferenceResults {
        let data: Data
        do { data = try SavedFile.contents(of: URL(fileURLWithPath: path), limit: Limits.smallFileBytes) } catch let
            error as SavedFileError
        {
            throw ExperimentError.io(path: path, reason: "cannot read the reference file: \(error.reason)")
        }
        return try parse(data, path: path)
    }

    /// Checks a reference file's bytes; `path` names it in errors.
    public static func parse(_ data: Data, path: String) throws -> ReferenceResults {
        let root: JSONValue
        do { root = try JSONDecoder().decode(JSONValue.self, from: data) } catch {
            throw ExperimentError.invalidConfiguration(path: path, problems: [" not valid JSON"])
        }
        var reader = Reader()
        guard let results = reader.read(root) else {
            throw ExperimentError.invalidConfiguration(path: path, problems: reader.problems.map { " \($0)" })
        }
        return results
    }

    /// Checks a parsed file field by field, collecting every problem.
    private struct Reader {
        var problems: [String] = []

        mutating func read(_ root: JSONValue) -> ReferenceResults? {
            guard case let .object(fields) = root else {
                problems.append("expected an object with \"source\" and \"runs\"")
                return nil
            }
            let source = string(fields["source"], "source")
            guard case let .list(items)? = fields["runs"] else {
                return expected("an array of objects", "runs", fields["runs"])
            }
            var runs: [Entry] = []
            for (index, item) in items.enumerated() {
                guard let entry = readEntry(item, "runs[\(index)]") else { continue }
                if let earlier = runs.firstIndex(where: { sameSetting($0, entry) }) {
                    problems.append("runs[\(index)]: same task, algorithm, network and totalSteps as runs[\(earlier)]")
                }
                runs.append(entry)
            }
            guard problems.isEmpty, let source else { return nil }
            return ReferenceResults(source: source, runs: runs)
        }

        private mutating func readEntry(_ value: JSONValue, _ path: String) -> Entry? {
            guard case let .object(fields) = value else { return expected("an object", path, value) }
            let task = string(fields["task"], "\(path).task")
            let algorithm = string(fields["algorithm"], "\(path).algorithm")
            let network = string(fields["network"], "\(path).network")
            let totalSteps = integer(fields["totalSteps"], "\(path).totalSteps")
            let seeds = integers(fields["seeds"], "\(path).seeds")
            let values = ["returnLast10", "ratioDeviation", "kl"].map { name in
                numbers(fields[name], "\(path).\(name)", count: seeds?.count)
            }
            guard let task, let algorithm, let network, let totalSteps, let seeds,
                let returns = values[0], let ratios = values[1], let kls = values[2]
            else { return nil }
            return Entry(
                task: task, algorithm: algorithm, network: network, totalSteps: totalSteps, seeds: seeds,
                finalReturns: returns, ratioDeviations: ratios, meanKLs: kls)
        }

        private func sameSetting(_ a: Entry, _ b: Entry) -> Bool {
            (a.task, a.algorithm, a.network, a.totalSteps) == (b.task, b.algorithm, b.network, b.totalSteps)
        }

        private mutating func string(_ value: JSONValue?, _ path: String) -> String? {
            if case let .string(text)? = value { return text }
            return expected("a string", path, value)
        }

        private mutating func integer(_ value: JSONValue?, _ path: String) -> Int? {
            if case let .integer(number)? = value, number >= 1 { return Int(number) }
            return expected("a positive integer", path, value)
        }

        private mutating func integers(_ value: JSONValue?, _ path: String) -> [Int]? {
            guard case let .list(items)? = value, !items.isEmpty else {
                return expected("a non-empty array of integers", path, value)
            }
            var numbers: [Int] = []
            for (index, item) in items.enumerated() {
                guard case let .integer(number) = item else { return expected("an integer", "\(path)[\(index)]", item) }
                numbers.append(Int(number))
            }
            return numbers
        }

        /// An array of numbers, one per seed when `count` is known.
        private mutating func numbers(_ value: JSONValue?, _ path: String, count: Int?) -> [Double]? {
            guard case let .list(items)? = value else { return expected("an array of numbers", path, value) }
            var numbers: [Double] = []
            for (index, item) in items.enumerated() {
                switch item {
                case let .integer(number): numbers.append(Double(number))
                case let .number(number): numbers.append(number)
                default: return expected("a number", "\(path)[\(index)]", item)
                }
            }
            if let count, numbers.count != count {
                problems.append("\(path): expected \(count) numbers (one per seed), got \(numbers.count)")
                return nil
            }
            return numbers
        }

        /// Records that the field at `path` is not `what` it should be; returns nil.
        private mutating func expected<T>(_ what: String, _ path: String, _ value: JSONValue?) -> T? {
            let found: String
            switch value {
            case nil: problems.append("\(path): missing, expected \(what)"); return nil
            case .null?: found = "null"
            case .boolean?: found = "a boolean"
            case .integer?, .number?: found = "a number"
            case .string?: found = "a string"
            case .list?: found = "an array"
            case .object?: found = "an object"
            }
            problems.append("\(path): expected \(what), got \(found)")
            return nil
        }
    }
}
