import Foundation

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
