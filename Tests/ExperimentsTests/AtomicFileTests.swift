import Foundation
import Testing

@testable import Experiments

@Suite struct AtomicFileTests {
    @Test func replacesContentAndLeavesNoTemporaryFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("nested/summary.json")
        try AtomicFile.write("first", to: file)
        try AtomicFile.write("second", to: file)
        #expect(try String(contentsOf: file, encoding: .utf8) == "second")
        let names = try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path)
        #expect(names == ["summary.json"])
    }

    @Test func unwritableDestinationNamesThePath() {
        let file = URL(fileURLWithPath: "/proc/no-such-dir/x.json")
        #expect(throws: ExperimentError.self) { try AtomicFile.write("x", to: file) }
    }
}
