import Environments
import Foundation
import Learning
import Rendering

/// Videos of a trained agent for a run's results folder.
public enum EvaluationVideo {
    /// Renders `episodes` episodes of `agent`'s policy (the mean action when `deterministic`,
    /// else sampled with noise seeded `seed`; frozen observation normalisation, as
    /// `SavedAgent.evaluate`) in its task, seeded `seed`, `seed + 1`, …, to `url` (`.mp4` via ffmpeg, else PNG frames
    /// beside it; `.gif`; or a directory of PNG frames) at `width`×`height` pixels through the
    /// task's tracking camera, at `quality` (``RenderQuality/fast`` by default: a 1000-step
    /// episode takes minutes at full quality with software OpenGL). Without `DISPLAY` a private Xvfb is
    /// started and stopped.
    /// `note` receives remarks (a private display, a fallback to PNG frames).
    @discardableResult
    public static func record(
        agent: SavedAgent, episodes: Int = 1, seed: UInt64 = 1_000_000, deterministic: Bool = true, to url: URL,
        width: Int = 640, height: Int = 480, quality: RenderQuality = .fast,
        note: (String) -> Void = { _ in }
    ) throws -> RecordingSummary {
        let environment = try EnvironmentRegistry.make(
            agent.configuration.task, options: agent.configuration.taskOptions ?? [:])
        let policy = AgentPolicy(
            agent: agent, actionSpace: environment.spec.actionSpace, deterministic: deterministic, seed: seed)
        return try EpisodeRecorder.recordOffscreen(
            environment: environment, policy: policy.action(for:), width: width, height: height,
            quality: quality, episodes: episodes, seed: seed, to: url.path, note: note)
    }
}
