import CGLFW
import Foundation

/// A GLFW window with a current OpenGL context: invisible for offscreen rendering, or a
/// visible, resizable window for the interactive viewer.
///
/// GLFW is initialised when the first context is created and terminated when the last one is
/// destroyed. Create, use and destroy a context on one thread.
public final class GraphicsContext {
    /// The GLFW window; owned by this object.
    let window: OpaquePointer

    private static let lock = NSLock()
    nonisolated(unsafe) private static var liveContexts = 0

    /// Creates a window of `width`×`height` screen pixels and makes its context current.
    /// Throws ``RenderingError/noDisplay(reason:)`` without a display and
    /// ``RenderingError/noOpenGL(reason:)`` when no OpenGL context can be made.
    public init(width: Int, height: Int, visible: Bool, title: String = "spo") throws {
        guard VirtualDisplay.hasDisplay else {
            throw RenderingError.noDisplay(reason: "DISPLAY is not set")
        }
        // GLFW's global state is not thread-safe: initialisation, window creation and
        // destruction are serialised (drawing in separate contexts on separate threads is fine).
        window = try Self.lock.withLock {
            if Self.liveContexts == 0 {
                guard glfwInit() == GLFW_TRUE else {
                    throw RenderingError.noDisplay(
                        reason:
                            "GLFW cannot open display '\(ProcessInfo.processInfo.environment["DISPLAY"] ?? "")': "
                            + "\(Self.lastError())"
                    )
                }
            }
            glfwDefaultWindowHints()
            glfwWindowHint(GLFW_VISIBLE, visible ? GLFW_TRUE : GLFW_FALSE)
            glfwWindowHint(GLFW_DOUBLEBUFFER, GLFW_TRUE)
            glfwWindowHint(GLFW_SAMPLES, visible ? 4 : 0)
            guard let window = glfwCreateWindow(Int32(width), Int32(height), title, nil, nil) else {
                let reason = Self.lastError()
                if Self.liveContexts == 0 { glfwTerminate() }
                throw RenderingError.noOpenGL(reason: reason)
            }
            Self.liveContexts += 1
            return window
        }
        glfwMakeContextCurrent(window)
        glfwSwapInterval(visible ? 1 : 0)
    }

    /// The OpenGL implementation in use, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)" for Mesa's
    /// software renderer (`GL_RENDERER`, `GL_VERSION`).
    public var rendererDescription: String {
        let renderer = glGetString(GLenum(GL_RENDERER)).map { String(cString: $0) } ?? "unknown renderer"
        let version = glGetString(GLenum(GL_VERSION)).map { String(cString: $0) } ?? "unknown version"
        return "\(renderer), OpenGL \(version)"
    }

    deinit {
        Self.lock.withLock {
            glfwDestroyWindow(window)
            Self.liveContexts -= 1
            if Self.liveContexts == 0 { glfwTerminate() }
        }
    }

    /// GLFW's description of its most recent error.
    private static func lastError() -> String {
        var description: UnsafePointer<CChar>? = nil
        let code = glfwGetError(&description)
        guard code != GLFW_NO_ERROR, let description else { return "unknown GLFW error" }
        return String(cString: description)
    }
}
