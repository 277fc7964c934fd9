import ArgumentParser
import Environments
import Foundation
import Learning
import Rendering

/// `spo render`: watch a saved agent (or a random or zero policy) in its task, in a window or
/// rendered offscreen to a video, a GIF or PNG frames.
struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: """
            Render a saved agent's policy (or --env TASK --policy random|zero) in a window, \
            or with --out to MP4, GIF or PNG frames.
            """,
        discussion: """
            Without --out a window opens (needs a display): left drag rotates, right drag moves, scroll zooms \
            (Shift: horizontal), Space pauses, Backspace restarts the episode, Esc quits. With --out FILE.mp4 \
            (ffmpeg; PNG frames beside it when ffmpeg is missing), FILE.gif or DIR (numbered PNG frames), frames \
            are rendered offscreen at 1/dt frames per second; without DISPLAY a private Xvfb is started when \
            installed (otherwise run under `xvfb-run -a`).
            """
    )

    @Argument(help: "An agent.json written by spo train (or use --env and --policy).") var agent: String?
    @Option(name: .long, help: "Task to inspect without an agent, e.g. Hopper-v4.") var env: String?
    @OptionGroup var taskOptions: TaskOptionArguments
    @Option(name: .long, help: "Policy without an agent: random (uniform in the action bounds) or zero.") var policy:
        String?
    @Option(name: .long, help: "Episodes to show.") var episodes = 1
    @Option(name: .long, help: "Seed of the first episode (the next ones add 1); also seeds sampled actions.") var seed:
        UInt64 = 1_000_000
    @Option(name: .long, help: "At most this many steps per episode.") var maxSteps: Int?
    @Option(name: .long, help: "Output: FILE.mp4, FILE.gif or a directory for PNG frames. Without it a window opens.")
    var out: String?
    @Option(name: .long, help: "Image or window width in pixels.") var width = 640
    @Option(name: .long, help: "Image or window height in pixels.") var height = 480
    @Option(
        name: .long,
        help: "tracking (Gymnasium's default view, following the robot), free, or an MJCF camera name such as track.")
    var camera = "tracking"
    @Flag(
        name: .long,
        help: "With --out: no shadows, reflections or multisampling (about 5× faster with software OpenGL).")
    var fast = false
    @Flag(name: .long, help: "Use the agent's mean action instead of sampling from its Gaussian policy.")
    var deterministic = false
    @Flag(name: .long, help: "Leave out the text overlay (step, return, reward terms).") var noOverlay = false

    func validate() throws {
        guard episodes > 0 else { throw ValidationError("--episodes must be at least 1, got \(episodes)") }
        if let maxSteps, maxSteps < 1 { throw ValidationError("--max-steps must be at least 1, got \(maxSteps)") }
        guard (1...8192).contains(width), (1...8192).contains(height) else {
            throw ValidationError("--width and --height must be in 1...8192, got \(width)×\(height)")
        }
        switch (agent, env, policy) {
        case (.some, nil, nil):
            guard taskOptions.assignments.isEmpty else {
                throw ValidationError(
                    "--task-option goes with --env: an agent is rendered with the task options it was trained with")
            }
        case (nil, .some(let task), .some(let name)):
            guard EnvironmentRegistry.ids.contains(task) else {
                throw ValidationError(
                    "unknown task '\(task)'; valid tasks: \(EnvironmentRegistry.ids.joined(separator: ", "))")
            }
            _ = try taskOptions.options(for: task)
            guard InspectionPolicy(rawValue: name) != nil else {
                throw ValidationError("--policy must be random or zero, got '\(name)'")
            }
        case (.some, _, _): throw ValidationError("give either AGENT or --env with --policy, not both")
        default: throw ValidationError("give an agent.json, or --env TASK with --policy random|zero")
        }
    }

    func run() throws {
        let environment: any Environment
        let actions: ActionFunction
        if let agent {
            let saved: SavedAgent
            do { saved = try SavedAgent.read(from: URL(fileURLWithPath: agent)) } catch {
                printError("error: \(error)")
                throw ExitCode(2)
            }
            environment = try EnvironmentRegistry.make(
                saved.configuration.task, options: saved.configuration.taskOptions ?? [:])
            actions =
                AgentPolicy(
                    agent: saved, actionSpace: environment.spec.actionSpace, deterministic: deterministic, seed: seed
                ).action(for:)
        } else {
            environment = try EnvironmentRegistry.make(env!, options: taskOptions.options(for: env!))
            actions = InspectionPolicy(rawValue: policy!)!.actionFunction(spec: environment.spec, seed: seed)
        }
        do {
            if let out {
                let summary = try EpisodeRecorder.recordOffscreen(
                    environment: environment, policy: actions, width: width, height: height,
                    camera: CameraChoice(argument: camera),
                    quality: fast ? .fast : .full, showsOverlay: !noOverlay, episodes: episodes, seed: seed,
                    maxSteps: maxSteps, to: out
                ) { printError("[render] \($0)") }
                for (index, value) in summary.returns.enumerated() {
                    print(
                        String(
                            format: "episode %d: return %.1f over %d steps", index + 1, value, summary.lengths[index]))
                }
                print(
                    String(
                        format: "wrote %d frames (%.4g fps video) to %@; offscreen rendering %.1f frames/s at %d×%d",
                        summary.framesWritten, summary.videoFramesPerSecond, summary.output.path,
                        summary.renderFramesPerSecond, width, height))
            } else {
                guard VirtualDisplay.hasDisplay else {
                    throw RenderingError.noDisplay(
                        reason:
                            "DISPLAY is not set and a window needs a screen; to render to a file instead use "
                            + "--out FILE.mp4|FILE.gif|DIR, which starts its own Xvfb when it is installed"
                    )
                }
                let viewer = try Viewer(
                    environment: environment, policy: actions, width: width, height: height,
                    camera: CameraChoice(argument: camera))
                viewer.showsOverlay = !noOverlay
                let returns = try viewer.run(episodes: episodes, seed: seed, maxSteps: maxSteps)
                for (index, value) in returns.enumerated() {
                    print(String(format: "episode %d: return %.1f", index + 1, value))
                }
            }
        } catch let error as RenderingError {
            printError("error: \(error)")
            throw ExitCode(1)
        }
    }
}
