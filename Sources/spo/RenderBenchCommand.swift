import ArgumentParser
import Environments
import Foundation
import Rendering

/// `spo bench render`: offscreen rendering throughput.
struct RenderBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract:
            "Offscreen rendering frames per second (render and read back, physics and encoding excluded), per task."
    )
    @Option(name: .long, help: "Tasks to measure (repeatable); Hopper-v4 and Humanoid-v4 by default.") var task:
        [String] = ["Hopper-v4", "Humanoid-v4"]
    @Option(name: .long, help: "Image width in pixels.") var width = 640
    @Option(name: .long, help: "Image height in pixels.") var height = 480
    @Option(name: .long, help: "Timed frames per task (after 5 untimed ones).") var frames = 100
    @Option(name: .long, help: "Qualities to measure (repeatable): full, fast; both by default.") var quality:
        [String] = ["full", "fast"]

    func validate() throws {
        for name in quality where RenderQuality(rawValue: name) == nil {
            throw ValidationError("--quality must be full or fast, got '\(name)'")
        }
        for id in task where !EnvironmentRegistry.ids.contains(id) {
            throw ValidationError(
                "unknown task '\(id)'; valid tasks: \(EnvironmentRegistry.ids.joined(separator: ", "))")
        }
    }

    func run() throws {
        let display = try VirtualDisplay.acquire { printError("[bench] \($0)") }
        defer { display?.release() }
        for id in task {
            for name in quality { try measure(id, quality: RenderQuality(rawValue: name)!) }
        }
    }

    private func measure(_ id: String, quality: RenderQuality) throws {
        let environment = try EnvironmentRegistry.make(id)
        let policy = InspectionPolicy.random.actionFunction(spec: environment.spec, seed: 1)
        let recorder = try EpisodeRecorder(
            environment: environment, policy: policy, width: width, height: height, quality: quality)
        if id == task.first, quality.rawValue == self.quality.first {
            print("OpenGL: \(recorder.renderer.graphics.rendererDescription)")
        }
        var observation = environment.reset(seed: 1)
        var seconds = 0.0
        for frame in 0..<(frames + 5) {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = recorder.renderer.renderImage(environment.simulation)
            if frame >= 5 { seconds += Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9 }
            let step = try environment.step(policy(observation))
            observation = step.terminated || step.truncated ? environment.reset() : step.observation
        }
        print(
            String(
                format: "%@ %d×%d %@: %.1f frames/s (%d frames, %.2f s)", id, width, height, quality.rawValue,
                Double(frames) / seconds, frames, seconds))
    }
}
