import Foundation
import Learning

/// A small copy of an experiment's finished runs, to commit beside the code:
/// `<out>/<experiment>/<run-id>/` holds the run's `run.json` and `summary.json` byte for byte and
/// its `updates.csv` and `episodes.csv` reduced to at most ``windows`` rows each
/// (``reduce(_:totalSteps:)``); `<out>/random-baselines.json` is the results root's cache of
/// random-policy returns. Checkpoints, agents and event files are left out. `spo table`,
/// `spo plot` and `--aggregate` read an archive as they read a live results tree: the tables come
/// from the summaries and are the same bytes, the figures are drawn from the reduced curves.
public enum ResultsArchive {
    /// Equal windows of environment steps that each CSV file is reduced to.
    public static let windows = 200

    /// What was archived of one run.
    public struct ArchivedRun: Sendable {
        public var id: String
        /// Rows kept of updates.csv and episodes.csv.
        public var updateRows: Int
        public var episodeRows: Int
        /// Bytes of the run's archived files.
        public var bytes: Int
    }

    /// Archives every finished run (one with a `summary.json`) of `configuration` under `root`
    /// into `out`, calling `report` after each, and copies `<root>/random-baselines.json` when it
    /// exists. Every file is replaced atomically and `summary.json` is written last, so an
    /// interrupted archive never holds a run that looks finished but lacks its curves. The bytes
    /// depend only on the runs' files: archiving again gives the same files and adds the runs
    /// finished since. Throws when `out` is the live results root (it would replace the full
    /// logs) and, naming the file, when a finished run's file is missing or unreadable.
    @discardableResult
    public static func write(
        _ configuration: ExperimentConfiguration, from root: URL, to out: URL,
        report: (ArchivedRun) -> Void = { _ in }
    ) throws -> [ArchivedRun] {
        let experiment = configuration.name
        let live = root.appendingPathComponent(experiment), archive = out.appendingPathComponent(experiment)
        if isSameDirectory(root, out) || isSameDirectory(live, archive) {
            throw ExperimentError.io(
                path: out.path,
                reason: "is the live results root (--results \(root.path)); archive to another directory"
            )
        }
        var archived: [ArchivedRun] = []
        for run in configuration.runs {
            let source = RunFiles(root: root, run: run)
            guard source.isFinished else { continue }
            let destination = RunFiles(root: out, run: run)
            let updates = try reducedCSV(source.updates, totalSteps: run.training.totalSteps)
            let episodes = try reducedCSV(source.episodes, totalSteps: run.training.totalSteps)
            let specification = try contents(of: source.specification), summary = try contents(of: source.summary)
            try AtomicFile.write(updates.text, to: destination.updates)
            try AtomicFile.write(episodes.text, to: destination.episodes)
            try AtomicFile.write(specification, to: destination.specification)
            try AtomicFile.write(summary, to: destination.summary)
            let bytes = updates.text.utf8.count + episodes.text.utf8.count + specification.count + summary.count
            archived.append(ArchivedRun(id: run.id, updateRows: updates.rows, episodeRows: episodes.rows, bytes: bytes))
            report(archived[archived.count - 1])
        }
        let baselines = root.appendingPathComponent(AggregateReport.baselineCacheName)
        if FileManager.default.fileExists(atPath: baselines.path) {
            let copy = out.appendingPathComponent(AggregateReport.baselineCacheName)
            try AtomicFile.write(try contents(of: baselines), to: copy)
        }
        return archived
    }

    /// `table` reduced to one row per non-empty window of ``windows`` equal windows of
    /// (0, `totalSteps`] environment steps (a row with `global_step` x falls in window
    /// ⌈x / width⌉, clamped to the first and last, as ``CurveSeries`` bins; rows without a finite
    /// step are dropped). A window's row has `global_step` at the window's centre,
    /// (w − 0.5) · totalSteps / windows, so that plotting bins never fall on its edge, and every
    /// other column the mean of its finite values in the window (NaN when none). The timing
    /// columns (``UpdateMetrics/timingColumns``) are dropped; numbers have 7 significant digits.
    /// Returns the CSV text and its number of rows, or nil when `table` has no `global_step`.
    public static func reduce(_ table: CSVTable, totalSteps: Int) -> (text: String, rows: Int)? {
        guard let stepColumn = table.header.firstIndex(of: "global_step") else { return nil }
        let kept = table.header.indices.filter { !UpdateMetrics.timingColumns.contains(table.header[$0]) }
        let width = Double(totalSteps) / Double(windows)
        var sums = [[Double]](repeating: [Double](repeating: 0, count: kept.count), count: windows)
        var counts = [[Int]](repeating: [Int](repeating: 0, count: kept.count), count: windows)
        var rowsPerWindow = [Int](repeating: 0, count: windows)
        for row in table.rows where stepColumn < row.count && row[stepColumn].isFinite {
            let window = equalWidthBin(row[stepColumn], width: width, count: windows)
            rowsPerWindow[window] += 1
            for (position, column) in kept.enumerated() where column < row.count && row[column].isFinite {
                sums[window][position] += row[column]
                counts[window][position] += 1
            }
        }
        var lines = [kept.map { table.header[$0] }.joined(separator: ",")]
        for window in 0..<windows where rowsPerWindow[window] > 0 {
            let centre = (Double(window) + 0.5) * Double(totalSteps) / Double(windows)
            let values = kept.indices.map { position in
                kept[position] == stepColumn
                    ? centre
                    : counts[window][position] > 0 ? sums[window][position] / Double(counts[window][position]) : .nan
            }
            lines.append(values.map { String(format: "%.7g", $0) }.joined(separator: ","))
        }
        return (lines.joined(separator: "\n") + "\n", lines.count - 1)
    }

    /// The reduced form of the CSV file at `url`.
    static func reducedCSV(_ url: URL, totalSteps: Int) throws -> (text: String, rows: Int) {
        guard let table = CSVTable(contentsOf: url) else {
            throw ExperimentError.io(path: url.path, reason: "cannot read the file")
        }
        guard let reduced = reduce(table, totalSteps: totalSteps) else {
            throw ExperimentError.io(path: url.path, reason: "has no global_step column")
        }
        return reduced
    }

    static func contents(of url: URL) throws -> Data {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ExperimentError.io(path: url.path, reason: "cannot read the file")
        }
        return data
    }

    /// Whether both paths exist and are the same directory (device and inode, so symbolic links,
    /// `..` and bind mounts do not hide it).
    static func isSameDirectory(_ first: URL, _ second: URL) -> Bool {
        var a = stat(), b = stat()
        guard stat(first.path, &a) == 0, stat(second.path, &b) == 0 else { return false }
        return a.st_dev == b.st_dev && a.st_ino == b.st_ino
    }
}
