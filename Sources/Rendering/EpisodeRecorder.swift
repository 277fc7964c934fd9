import Environments
import Foundation
import MuJoCo

/// A policy as rendering sees it: the environment's raw observation in, an action out.
/// Called once per step, in order, so it may keep state (normalisation, a random generator).
public typealias ActionFunction = (_ observation: [Double]) -> [Float]

/// Replays a policy in an environment and renders every state offscreen to a video, a GIF or
/// PNG frames, with an overlay of step, return so far and the reward terms.
public final class EpisodeRecorder {
    /// The environment stepped (its behaviour is unchanged by rendering).
    public let environment: any Environment
    /// The renderer (its OpenGL context is current on the creating thread).
    public let renderer: SceneRenderer
    /// Whether frames carry the text overlay.
    public var showsOverlay: Bool
    private let policy: ActionFunction

    /// Sets up offscreen rendering of `environment` at `width`×`height` through `camera` at
    /// `quality`, driven by `policy`, in a new invisible ``GraphicsContext`` (needs a display;
    /// see ``VirtualDisplay``).
    public init(
        environment: any Environment, policy: @escaping ActionFunction, width: Int, height: Int,
        camera: CameraChoice = .tracking, quality: RenderQuality = .full, showsOverlay: Bool = true
    ) throws {
        self.environment = environment
        self.policy = policy
        self.showsOverlay = showsOverlay
        let context = try GraphicsContext(width: width, height: height, visible: false)
        renderer = try SceneRenderer(
            model: environment.simulation.model, task: environment.spec.id, width: width, height: height,
            camera: camera, quality: quality, context: context)
    }

    /// Runs `episodes` episodes seeded `seed`, `seed + 1`, … (each at most `maxSteps` steps, or
    /// until terminated or truncated) and writes their frames to `path` (`.mp4`, `.gif`, or a
    /// directory of PNG frames). `note` receives remarks such as a fallback to PNG frames.
    public func record(
        episodes: Int, seed: UInt64, maxSteps: Int? = nil, to path: String,
        note: (String) -> Void = { _ in }
    ) throws -> RecordingSummary {
        let spec = environment.spec
        let sink = try FrameSink(path: path, width: renderer.width, height: renderer.height, dt: spec.dt, note: note)
        var overlay = EpisodeOverlay(task: spec.id)
        var rendered = 0, renderSeconds = 0.0
        var returns: [Double] = [], lengths: [Int] = []
        func frame() throws {
            let start = DispatchTime.now().uptimeNanoseconds
            let image = renderer.renderImage(environment.simulation, overlay: showsOverlay ? overlay.text : nil)
            renderSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
            rendered += 1
            try sink.write(image)
        }
        for episode in 0..<episodes {
            var observation = environment.reset(seed: seed &+ UInt64(episode))
            overlay = EpisodeOverlay(task: spec.id, episode: episode + 1)
            try frame()
            while maxSteps.map({ overlay.step < $0 }) ?? true {
                let step = try environment.step(policy(observation))
                observation = step.observation
                overlay.record(step)
                try frame()
                if step.terminated || step.truncated { break }
            }
            returns.append(overlay.episodeReturn)
            lengths.append(overlay.step)
        }
        try sink.finish()
        let fps = sink.format == .gif ? sink.framesPerSecond / Double(sink.gifStride) : sink.framesPerSecond
        return RecordingSummary(
            output: sink.url, format: sink.format, framesRendered: rendered, framesWritten: sink.framesWritten,
            videoFramesPerSecond: fps, returns: returns, lengths: lengths, renderSeconds: renderSeconds)
    }
}

extension EpisodeRecorder {
    /// Records offscreen on the current display or, without one, on the process's private Xvfb
    /// for the duration; the recorder's OpenGL objects are gone before the display stops.
    public static func recordOffscreen(
        environment: any Environment, policy: @escaping ActionFunction, width: Int, height: Int,
        camera: CameraChoice = .tracking, quality: RenderQuality, showsOverlay: Bool = true,
        episodes: Int, seed: UInt64, maxSteps: Int? = nil, to path: String,
        note: (String) -> Void = { _ in }
    ) throws -> RecordingSummary {
        let display = try VirtualDisplay.acquire(note: note)
        defer { display?.release() }
        func record() throws -> RecordingSummary {
            try EpisodeRecorder(
                environment: environment, policy: policy, width: width, height: height, camera: camera,
                quality: quality, showsOverlay: showsOverlay
            )
            .record(episodes: episodes, seed: seed, maxSteps: maxSteps, to: path, note: note)
        }
        return try record()
    }
}
