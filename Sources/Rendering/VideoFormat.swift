import Foundation

/// Where rendered frames go, chosen from an output path.
public enum VideoFormat: Sendable, Equatable {
    /// H.264 MP4 encoded by `ffmpeg` (frames piped as raw RGB).
    case mp4
    /// Animated GIF from this package's own encoder.
    case gif
    /// Numbered PNG frames (`frame_00000.png`, …) in a directory.
    case pngDirectory

    /// `.mp4` and `.gif` by extension; anything else is a directory of PNG frames.
    public init(path: String) {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "mp4": self = .mp4
        case "gif": self = .gif
        default: self = .pngDirectory
        }
    }
}
