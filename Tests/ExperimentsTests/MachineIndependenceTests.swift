import Foundation
import Learning
import Testing

/// The same seed and settings give the same bytes whatever the CPU: `spo train` under every
/// matrix kernel this machine can run (SPO_MATRIX_KERNEL) and every OpenBLAS core type
/// (OPENBLAS_CORETYPE, which must change nothing since no number goes through OpenBLAS)
/// writes byte-identical CSVs (timing columns aside) and agents.
@Suite("Same numbers on any machine", .serialized)
struct MachineIndependenceTests {
    static let machines: [(label: String, environment: [String: String])] =
        [("default", [:]), ("avx2", ["SPO_MATRIX_KERNEL": "avx2"]), ("portable", ["SPO_MATRIX_KERNEL": "portable"])]
        + ["Haswell", "SkylakeX", "Zen", "Sandybridge", "Prescott"].map {
            ("openblas-\($0)", ["OPENBLAS_CORETYPE": $0])
        }

    /// updates.csv without its timing columns.
    static func deterministicColumns(_ csv: String) -> String {
        let rows = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        guard let header = rows.first else { return "" }
        let kept = header.indices.filter { !UpdateMetrics.timingColumns.contains(String(header[$0])) }
        return rows.map { row in kept.map { String(row[$0]) }.joined(separator: ",") }.joined(separator: "\n")
    }

    @Test(
        "spo train writes the same bytes under every kernel",
        arguments: [("spo", 3), ("spo", 7), ("ppo", 3), ("ppo", 7), ("trpo", 3)])
    func sameBytes(algorithm: String, layers: Int) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("machines-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var outputs: [String: [String]] = [:]
        for machine in Self.machines {
            let out = directory.appendingPathComponent(machine.label)
            let (status, log) = try SPOProcess.run(
                [
                    "train", "--env", "Hopper-v4", "--algo", algorithm, "--actor-layers", "\(layers)", "--steps", "384",
                    "--envs", "2",
                    "--horizon", "64", "--epochs", "3", "--minibatches", "2", "--workers", "2", "--seed", "5", "--out",
                    out.path,
                ],
                in: directory, environment: machine.environment)
            try #require(status == 0, "\(machine.label): \(log)")
            let updates = try String(contentsOf: out.appendingPathComponent("updates.csv"), encoding: .utf8)
            outputs[machine.label] =
                [Self.deterministicColumns(updates)]
                + (try ["episodes.csv", "agent.json"].map {
                    try String(contentsOf: out.appendingPathComponent($0), encoding: .utf8)
                })
        }
        let reference = try #require(outputs["default"])
        #expect(reference[0].split(separator: "\n").count == 4, "a header and three updates")
        for machine in Self.machines where machine.label != "default" {
            #expect(
                outputs[machine.label] == reference,
                "\(algorithm) \(layers)-layer under \(machine.label) differs from the default")
        }
    }
}
