/// Errors of rendering: each says what failed, where, and how to fix it.
public enum RenderingError: Error, Equatable, CustomStringConvertible {
    /// No X display to open (DISPLAY unset or unreachable) and no way to start one.
    case noDisplay(reason: String)
    /// The virtual X server `Xvfb` could not be started.
    case virtualDisplayFailed(reason: String)
    /// GLFW could not create an OpenGL context (missing GLX or Mesa drivers).
    case noOpenGL(reason: String)
    /// A camera name that is neither "tracking", "free" nor a camera of the model.
    case unknownCamera(name: String, task: String, valid: [String])
    /// A width or height outside 1...8192 pixels.
    case invalidSize(width: Int, height: Int)
    /// An output file or directory that cannot be written.
    case outputFailed(path: String, reason: String)
    /// `ffmpeg` failed while encoding a video.
    case encoderFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .noDisplay(reason):
            return
                "no display: \(reason). Run under a virtual X server: "
                + "`xvfb-run -a spo render ...` (Debian: apt-get install xvfb)"
        case let .virtualDisplayFailed(reason):
            return "cannot start the virtual X server Xvfb: \(reason) (Debian: apt-get install xvfb xauth)"
        case let .noOpenGL(reason):
            return "cannot create an OpenGL context: \(reason). Install Mesa's software OpenGL "
                + "(Debian: apt-get install libgl1-mesa-dri libglx-mesa0) or run under `xvfb-run -a`"
        case let .unknownCamera(name, task, valid):
            return "\(task): unknown camera '\(name)'; valid cameras: \(valid.joined(separator: ", "))"
        case let .invalidSize(width, height):
            return "image size \(width)×\(height) is invalid; width and height must be in 1...8192 pixels"
        case let .outputFailed(path, reason):
            return "cannot write '\(path)': \(reason)"
        case let .encoderFailed(path, reason):
            return "ffmpeg failed writing '\(path)': \(reason)"
        }
    }
}
