import Foundation

extension AggregateReport {
    /// The report as Markdown: a table of the four statistics per algorithm, each
    /// "value [lower, upper]" with `digits` decimals, the number of runs, a table of per-task
    /// mean normalised scores, the normalisation bounds, and the notes on missing runs.
    public func markdown(digits: Int = 3) -> String {
        func cell(_ value: Double) -> String { value.isFinite ? String(format: "%.\(digits)f", value) : "–" }
        func escape(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
        let percent = String(format: "%g", options.confidence * 100)
        var lines = [
            "Normalised scores `(return − low) / (high − low)`; \(percent)% stratified bootstrap intervals "
                + "(\(options.resamples) resamples, seed \(options.seed)). Optimality gap: lower is better.",
            "",
            "| algorithm | runs | " + AggregateMetric.allCases.map(\.title).joined(separator: " | ") + " |",
            "|---|---:|" + String(repeating: "---|", count: AggregateMetric.allCases.count),
        ]
        for algorithm in algorithms {
            let cells = AggregateMetric.allCases.map { metric -> String in
                let e = algorithm.estimate(metric)
                return "\(cell(e.point)) [\(cell(e.lower)), \(cell(e.upper))]"
            }
            lines.append(
                "| \(escape(algorithm.label)) | \(algorithm.runsPerTask.values.reduce(0, +)) | "
                    + cells.joined(separator: " | ") + " |")
        }
        lines += ["", "Mean normalised score per task (runs):", ""]
        lines.append("| algorithm | " + tasks.map(escape).joined(separator: " | ") + " |")
        lines.append("|---|" + String(repeating: "---:|", count: tasks.count))
        for algorithm in algorithms {
            let cells = tasks.map { task in
                algorithm.taskMeans[task].map { "\(cell($0)) (\(algorithm.runsPerTask[task] ?? 0))" } ?? "missing"
            }
            lines.append("| \(escape(algorithm.label)) | " + cells.joined(separator: " | ") + " |")
        }
        lines += ["", "| task | low (score 0) | high (score 1) |", "|---|---:|---:|"]
        for task in tasks {
            let bound = bounds[task]!
            lines.append(
                "| \(escape(task)) | \(String(format: "%.1f", bound.low)) | \(String(format: "%.1f", bound.high)) |")
        }
        if !notes.isEmpty {
            lines += ["", "Missing runs:", ""] + notes.map { "- \($0)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The report as CSV, one row per algorithm: `algorithm,runs`, then for each statistic its
    /// point estimate and interval ends (`median,median_low,median_high,iqm,…`), full precision.
    public func csv() -> String {
        let names = ["median", "iqm", "mean", "optimality_gap"]
        var header = ["algorithm", "runs"]
        for name in names { header += [name, name + "_low", name + "_high"] }
        var lines = [header.joined(separator: ",")]
        for algorithm in algorithms {
            var row = [quote(algorithm.label), String(algorithm.runsPerTask.values.reduce(0, +))]
            for metric in AggregateMetric.allCases {
                let e = algorithm.estimate(metric)
                row += [e.point, e.lower, e.upper].map { "\($0)" }
            }
            lines.append(row.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension AggregateReport {
    /// Writes `aggregate.md` (titled `title`) and `aggregate.csv` into `directory` (created when
    /// missing), each replaced atomically; returns the two files.
    @discardableResult
    public func writeTables(to directory: URL, title: String) throws -> [URL] {
        try Self.write([("aggregate.md", "# \(title)\n\n" + markdown()), ("aggregate.csv", csv())], to: directory)
    }

    /// Writes `aggregate-intervals.svg` and `aggregate-profiles.svg` (titled with `title`) into
    /// `directory` (created when missing), each replaced atomically; returns the two files.
    @discardableResult
    public func writeFigures(to directory: URL, title: String) throws -> [URL] {
        try Self.write(
            [
                ("aggregate-intervals.svg", SVGFigure.intervalEstimates(self, title: "\(title): aggregate metrics")),
                (
                    "aggregate-profiles.svg",
                    SVGFigure.performanceProfiles(self, title: "\(title): performance profiles")
                ),
            ], to: directory)
    }

    private static func write(_ files: [(name: String, content: String)], to directory: URL) throws -> [URL] {
        try files.map { file in
            let url = directory.appendingPathComponent(file.name)
            try AtomicFile.write(file.content, to: url)
            return url
        }
    }
}

/// A CSV field: quoted (quotes doubled) when it holds a comma, quote or newline.
func quote(_ text: String) -> String {
    text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
        ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
}
