import Environments
import Foundation
import MuJoCo

/// A policy as rendering sees it: the environment's raw observation in, an action out.
/// Called once per step, in order, so it may keep state (normalisation, a random generator).
public typealias ActionFunction = (_ observation: [Double]) -> [Float]

/// Simple policies for inspecting a task before training.
public enum InspectionPolicy: String, Sendable, CaseIterable {
    /// Actions drawn uniformly inside the action bounds.
    case random
    /// The zero action.
    case zero

    /// The action function for `spec`, seeded with `seed` (random only).
    public func actionFunction(spec: EnvironmentSpec, seed: UInt64) -> ActionFunction {
        switch self {
        case .zero:
            let zero = [Float](repeating: 0, count: spec.actionSize)
            return { _ in zero }
        case .random:
            var random = RandomGenerator(seed: seed)
            return { _ in uniformActions(spec, count: 1, random: &random) }
        }
    }
}

/// The running state of an episode being shown: step, return so far and the last step's
/// reward and info values (the task's reward terms), formatted for MuJoCo's overlay.
struct EpisodeOverlay {
    var task: String
    var episode = 1
    var step = 0
    var episodeReturn = 0.0
    var lastReward = 0.0
    var info: StepInfo?

    /// Counts one environment step: step number, return so far, reward and info terms.
    mutating func record(_ transition: StepResult) {
        step += 1
        episodeReturn += transition.reward
        lastReward = transition.reward
        info = transition.info
    }

    /// Labels and values, one line each.
    var text: (labels: String, values: String) {
        var labels = ["task", "episode", "step", "return", "reward"]
        var values = [
            task, "\(episode)", "\(step)", String(format: "%.2f", episodeReturn), String(format: "%.3f", lastReward),
        ]
        if let info {
            labels += info.keys
            values += info.values.map { String(format: "%.3f", $0) }
        }
        return (labels.joined(separator: "\n"), values.joined(separator: "\n"))
    }
}

/// What ``EpisodeRecorder/record(episodes:seed:maxSteps:to:note:)`` did.
public struct RecordingSummary: Sendable {
    /// The file or directory written.
    public var output: URL
    /// The format written (an MP4 request becomes PNG frames without ffmpeg).
    public var format: VideoFormat
    /// Frames rendered (one for each reset and one for each step).
    public var framesRendered: Int
    /// Frames in the output (a GIF keeps every n-th frame, see ``VideoFormat/gif``).
    public var framesWritten: Int
    /// Frames per second of the video: 1/dt of the task (a GIF: 1/(n·dt)).
    public var videoFramesPerSecond: Double
    /// Undiscounted return of each episode.
    public var returns: [Double]
    /// Steps of each episode.
    public var lengths: [Int]
    /// Wall-clock seconds spent in rendering and reading back pixels (not physics or encoding).
    public var renderSeconds: Double
    /// Offscreen rendering rate: frames rendered / ``renderSeconds``.
    public var renderFramesPerSecond: Double { Double(framesRendered) / max(renderSeconds, 1e-9) }
}

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
