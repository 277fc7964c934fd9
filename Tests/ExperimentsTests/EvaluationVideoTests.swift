import Foundation
import Rendering
import Testing

@testable import Experiments

@Suite("Evaluation videos")
struct EvaluationVideoTests {
    static let configuration = """
        {"name": "video", "tasks": ["Hopper-v4"], "algorithms": ["spo"], "seeds": [1], "totalSteps": 256,
         "hyperparameters": {"environments": 4, "horizon": 64, "epochs": 1, "workers": 1},
         "evaluation": {"episodes": 1, "video": {"format": "gif", "width": 96, "height": 72}}}
        """

    @Test("evaluation.video is read, has defaults, and does not change the run id")
    func settings() throws {
        let withVideo = try ExperimentConfiguration.parse(Self.configuration, file: "v.json", strictJSON: true).runs[0]
        let withoutVideo = try ExperimentConfiguration.parse(
            Self.configuration.replacingOccurrences(
                of: #", "video": {"format": "gif", "width": 96, "height": 72}"#, with: ""),
            file: "v.json", strictJSON: true
        ).runs[0]
        #expect(withoutVideo.evaluation.video == nil)
        #expect(
            withVideo.evaluation.video?.format == .gif && withVideo.evaluation.video?.width == 96
                && withVideo.evaluation.video?.quality == .fast)
        #expect(withVideo.id == withoutVideo.id)
        let plain = try ExperimentConfiguration.parse(
            Self.configuration.replacingOccurrences(of: #"{"format": "gif", "width": 96, "height": 72}"#, with: "true"),
            file: "v.json", strictJSON: true
        ).runs[0]
        #expect(plain.evaluation.video == VideoSettings())
    }

    @Test(
        "a bad video setting names its field",
        arguments: [
            (#"{"format": "avi"}"#, "evaluation.video.format: must be mp4 or gif, got 'avi'"),
            (#"{"quality": "best"}"#, "evaluation.video.quality: must be fast or full, got 'best'"),
            (#"{"width": 0}"#, "evaluation.video.width: must be at least 1, got 0"),
            (#"{"fps": 30}"#, "evaluation.video.fps: unknown field 'fps'"),
        ])
    func badVideo(video: String, message: String) {
        let text = Self.configuration.replacingOccurrences(
            of: #"{"format": "gif", "width": 96, "height": 72}"#, with: video)
        do {
            _ = try ExperimentConfiguration.parse(text, file: "v.json", strictJSON: true)
            Issue.record("accepted \(video)")
        } catch let ExperimentError.invalidConfiguration(_, problems) {
            #expect(problems.contains { $0.contains(message) }, "\(problems)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test(
        "a finished run writes video.gif of its evaluation episode",
        .enabled(
            if: VirtualDisplay.hasDisplay || VirtualDisplay.isAvailable
                || ProcessInfo.processInfo.environment["CI"] == "true",
            "needs a display or Xvfb (see scripts/setup)"))
    func runWritesVideo() throws {
        let run = try ExperimentConfiguration.parse(Self.configuration, file: "v.json", strictJSON: true).runs[0]
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("spo-video-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let files = RunFiles(root: root, run: run)
        #expect(
            try RunExecutor(run: run, files: files, workers: 1).execute(shouldStop: { false }, report: { _ in })
                == .finished)
        let gif = try Data(contentsOf: files.video(.gif))
        #expect(gif.starts(with: Array("GIF89a".utf8)) && gif.last == 0x3B)
        #expect(files.isFinished)
    }
}
