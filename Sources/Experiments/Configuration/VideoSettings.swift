import Foundation
import Rendering

/// An evaluation video (`video.mp4` or `video.gif` in the run's folder): the first `episodes`
/// evaluation episodes (same seeds and policy) at `width`×`height` pixels and `quality`,
/// rendered offscreen (a private Xvfb when there is no DISPLAY).
public struct VideoSettings: Codable, Sendable, Equatable {
    /// `mp4` (ffmpeg; PNG frames in `video_frames/` without it) or `gif`.
    public enum Format: String, Codable, Sendable, CaseIterable { case mp4, gif }
    public var episodes = 1
    public var width = 640
    public var height = 480
    public var format = Format.mp4
    public var quality = RenderQuality.fast
    public init() {}
}
