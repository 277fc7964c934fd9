import CGLFW
import CMuJoCo
import Environments
import Foundation

/// Mouse and keyboard state of a ``Viewer`` window, reached from GLFW's C callbacks through
/// the window's user pointer.
private final class ViewerInput {
    let renderer: SceneRenderer
    var left = false, right = false, middle = false
    var lastX = 0.0, lastY = 0.0
    var paused = false
    var restartEpisode = false

    init(renderer: SceneRenderer) { self.renderer = renderer }

    static func of(_ window: OpaquePointer?) -> ViewerInput {
        Unmanaged<ViewerInput>.fromOpaque(glfwGetWindowUserPointer(window)!).takeUnretainedValue()
    }

    /// Moves the camera as MuJoCo's `simulate` does; `dx`, `dy` are fractions of the window height.
    func move(_ action: mjtMouse, dx: Double, dy: Double) {
        mjv_moveCamera(renderer.model.pointer, Int32(action.rawValue), dx, dy, renderer.scene, renderer.camera)
    }
}

/// An interactive window replaying a policy in real time (one environment step per dt of wall
/// time) with MuJoCo's rendering, the overlay, and `simulate`'s basic mouse controls: left
/// drag rotates (with Shift: horizontally), right drag moves (with Shift: horizontally),
/// middle drag or the scroll wheel zooms. Space pauses, Backspace restarts the episode, Esc
/// (or closing the window) quits.
public final class Viewer {
    /// The environment shown.
    public let environment: any Environment
    private let policy: ActionFunction
    private let renderer: SceneRenderer
    private let input: ViewerInput
    /// Whether the window shows the text overlay.
    public var showsOverlay = true

    /// Opens a `width`×`height` window on the current display. Throws
    /// ``RenderingError/noDisplay(reason:)`` without one (see `xvfb-run`).
    public init(
        environment: any Environment, policy: @escaping ActionFunction, width: Int, height: Int,
        camera: CameraChoice = .tracking
    ) throws {
        self.environment = environment
        self.policy = policy
        let context = try GraphicsContext(
            width: width, height: height, visible: true, title: "spo: \(environment.spec.id)")
        renderer = try SceneRenderer(
            model: environment.simulation.model, task: environment.spec.id, width: width, height: height,
            camera: camera, quality: .full, context: context)
        input = ViewerInput(renderer: renderer)
        let window = context.window
        glfwSetWindowUserPointer(window, Unmanaged.passUnretained(input).toOpaque())
        glfwSetKeyCallback(window) { window, key, _, action, _ in
            guard action == GLFW_PRESS else { return }
            let input = ViewerInput.of(window)
            switch key {
            case GLFW_KEY_ESCAPE: glfwSetWindowShouldClose(window, GLFW_TRUE)
            case GLFW_KEY_SPACE: input.paused.toggle()
            case GLFW_KEY_BACKSPACE: input.restartEpisode = true
            default: break
            }
        }
        glfwSetMouseButtonCallback(window) { window, _, _, _ in
            let input = ViewerInput.of(window)
            input.left = glfwGetMouseButton(window, GLFW_MOUSE_BUTTON_LEFT) == GLFW_PRESS
            input.right = glfwGetMouseButton(window, GLFW_MOUSE_BUTTON_RIGHT) == GLFW_PRESS
            input.middle = glfwGetMouseButton(window, GLFW_MOUSE_BUTTON_MIDDLE) == GLFW_PRESS
            glfwGetCursorPos(window, &input.lastX, &input.lastY)
        }
        glfwSetCursorPosCallback(window) { window, x, y in
            let input = ViewerInput.of(window)
            let dx = x - input.lastX, dy = y - input.lastY
            input.lastX = x
            input.lastY = y
            guard input.left || input.right || input.middle else { return }
            let shift =
                glfwGetKey(window, GLFW_KEY_LEFT_SHIFT) == GLFW_PRESS
                || glfwGetKey(window, GLFW_KEY_RIGHT_SHIFT) == GLFW_PRESS
            let action: mjtMouse =
                input.right
                ? (shift ? mjMOUSE_MOVE_H : mjMOUSE_MOVE_V)
                : input.left ? (shift ? mjMOUSE_ROTATE_H : mjMOUSE_ROTATE_V) : mjMOUSE_ZOOM
            var height: Int32 = 0
            glfwGetWindowSize(window, nil, &height)
            let h = Double(max(height, 1))
            input.move(action, dx: dx / h, dy: dy / h)
        }
        glfwSetScrollCallback(window) { window, _, yOffset in
            ViewerInput.of(window).move(mjMOUSE_ZOOM, dx: 0, dy: -0.05 * yOffset)
        }
    }

    /// Shows `episodes` episodes seeded `seed`, `seed + 1`, … (each at most `maxSteps` steps, or
    /// until terminated or truncated) until they end or the window is closed (or, with
    /// `maxFrames`, after that many frames); returns the finished episodes' returns.
    public func run(episodes: Int, seed: UInt64, maxSteps: Int? = nil, maxFrames: Int? = nil) throws -> [Double] {
        let window = renderer.graphics.window
        let dt = environment.spec.dt
        var overlay = EpisodeOverlay(task: environment.spec.id)
        var returns: [Double] = []
        var episode = 0, frames = 0
        var observation = environment.reset(seed: seed)
        var simulatedTime = 0.0
        var start = glfwGetTime()
        while glfwWindowShouldClose(window) == GLFW_FALSE, episode < episodes, maxFrames.map({ frames < $0 }) ?? true {
            if input.restartEpisode {
                input.restartEpisode = false
                observation = environment.reset(seed: seed &+ UInt64(episode))
                overlay = EpisodeOverlay(task: environment.spec.id, episode: episode + 1)
            }
            let now = glfwGetTime()
            if input.paused {
                start = now - simulatedTime
            } else {
                // Catch up with wall time, at most a few steps per frame.
                var steps = 0
                while simulatedTime < now - start, steps < 8, episode < episodes {
                    let step = try environment.step(policy(observation))
                    observation = step.observation
                    overlay.record(step)
                    simulatedTime += dt
                    steps += 1
                    if step.terminated || step.truncated || maxSteps.map({ overlay.step >= $0 }) == true {
                        returns.append(overlay.episodeReturn)
                        episode += 1
                        guard episode < episodes else { break }
                        observation = environment.reset(seed: seed &+ UInt64(episode))
                        overlay = EpisodeOverlay(task: environment.spec.id, episode: episode + 1)
                    }
                }
                if simulatedTime < now - start { start = now - simulatedTime }
            }
            var width: Int32 = 0, height: Int32 = 0
            glfwGetFramebufferSize(window, &width, &height)
            mjr_setBuffer(Int32(mjFB_WINDOW.rawValue), renderer.context)
            var text = overlay.text
            if input.paused { text.labels += "\n(paused)"; text.values += "\n" }
            renderer.draw(
                environment.simulation, viewport: mjrRect(left: 0, bottom: 0, width: width, height: height),
                overlay: showsOverlay ? text : nil)
            glfwSwapBuffers(window)
            glfwPollEvents()
            frames += 1
        }
        return returns
    }
}
