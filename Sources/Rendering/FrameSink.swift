import Foundation

/// A frame consumer writing one video file or frame directory.
final class FrameSink {
    /// What was actually written (an MP4 falls back to PNG frames without ffmpeg).
    let format: VideoFormat
    /// The file or directory written.
    let url: URL
    /// Frames per second of the video (the task's 1/dt).
    let framesPerSecond: Double
    /// Frames written (to a GIF: only every ``gifStride``-th frame offered).
    private(set) var framesWritten = 0
    /// A GIF keeps every `gifStride`-th frame so its delay is a whole number of centiseconds ≥ 2.
    let gifStride: Int
    private var offered = 0
    private var gif: GIFEncoder?
    private var encoder: Process?
    private var encoderInput: FileHandle?
    private var encoderErrors: Pipe?

    /// Path of `ffmpeg` on PATH, if any.
    static var ffmpegPath: String? { executableOnPath("ffmpeg") }

    /// The GIF frame stride and delay for a frame interval of `dt` seconds: the smallest stride
    /// up to 10 whose delay is a whole number ≥ 2 centiseconds (browsers slow shorter delays
    /// down), else the stride giving ≥ 2 centiseconds with the delay rounded.
    static func gifTiming(dt: Double) -> (stride: Int, delayCentiseconds: Int) {
        for stride in 1...10 {
            let delay = 100 * dt * Double(stride)
            if delay >= 2 - 1e-9, abs(delay - delay.rounded()) < 1e-6 { return (stride, Int(delay.rounded())) }
        }
        let stride = max(1, Int((2 / (100 * dt)).rounded(.up)))
        return (stride, max(2, Int((100 * dt * Double(stride)).rounded())))
    }

    /// Opens `path` for `width`×`height` frames at 1/`dt` frames per second. An `.mp4` without
    /// `ffmpeg` on PATH becomes a PNG directory beside it (`NAME_frames/`), reported by `note`.
    init(path: String, width: Int, height: Int, dt: Double, note: (String) -> Void) throws {
        framesPerSecond = 1 / dt
        let timing = Self.gifTiming(dt: dt)
        gifStride = timing.stride
        var format = VideoFormat(path: path)
        var url = URL(fileURLWithPath: path)
        let ffmpeg = format == .mp4 ? Self.ffmpegPath : nil
        if format == .mp4, ffmpeg == nil {
            let base = url.deletingPathExtension()
            url = base.deletingLastPathComponent().appendingPathComponent(base.lastPathComponent + "_frames")
            note(
                "ffmpeg is not on PATH (Debian: apt-get install ffmpeg); "
                    + "writing PNG frames to \(url.path) instead of \(path)"
            )
            format = .pngDirectory
        }
        self.format = format
        self.url = url
        let manager = FileManager.default
        do {
            switch format {
            case .pngDirectory:
                try manager.createDirectory(at: url, withIntermediateDirectories: true)
            case .gif, .mp4:
                try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            }
        } catch {
            throw RenderingError.outputFailed(path: url.path, reason: error.localizedDescription)
        }
        switch format {
        case .gif:
            gif = GIFEncoder(width: width, height: height, delayCentiseconds: timing.delayCentiseconds)
        case .mp4:
            // A dying encoder must fail the write, not kill this process.
            signal(SIGPIPE, SIG_IGN)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: ffmpeg!)
            // yuv420p needs even sizes: pad by a pixel when odd.
            process.arguments = [
                "-y", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "\(width)x\(height)",
                "-r", String(format: "%.6g", framesPerSecond), "-i", "-",
                "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", "-c:v", "libx264", "-pix_fmt", "yuv420p", url.path,
            ]
            let input = Pipe(), errors = Pipe()
            process.standardInput = input
            process.standardOutput = FileHandle.nullDevice
            process.standardError = errors
            do { try process.run() } catch {
                throw RenderingError.encoderFailed(path: url.path, reason: error.localizedDescription)
            }
            encoder = process
            encoderInput = input.fileHandleForWriting
            encoderErrors = errors
        case .pngDirectory:
            break
        }
    }

    /// Stops an encoder left running by an interrupted recording.
    deinit {
        if let encoder, encoder.isRunning {
            try? encoderInput?.close()
            encoder.terminate()
        }
    }

    /// Writes one frame.
    func write(_ image: RGBImage) throws {
        defer { offered += 1 }
        switch format {
        case .pngDirectory:
            let file = url.appendingPathComponent(String(format: "frame_%05d.png", framesWritten))
            do { try PNGFile.encode(image).write(to: file) } catch {
                throw RenderingError.outputFailed(path: file.path, reason: error.localizedDescription)
            }
        case .gif:
            guard offered % gifStride == 0 else { return }
            gif!.add(image)
        case .mp4:
            do { try encoderInput!.write(contentsOf: image.pixels) } catch {
                throw RenderingError.encoderFailed(
                    path: url.path, reason: "\(error.localizedDescription); \(encoderMessage())")
            }
        }
        framesWritten += 1
    }

    /// Completes the file (GIF trailer, or waits for ffmpeg to finish).
    func finish() throws {
        switch format {
        case .pngDirectory:
            break
        case .gif:
            gif!.finish()
            do { try gif!.data.write(to: url, options: .atomic) } catch {
                throw RenderingError.outputFailed(path: url.path, reason: error.localizedDescription)
            }
        case .mp4:
            try? encoderInput!.close()
            encoder!.waitUntilExit()
            guard encoder!.terminationStatus == 0 else {
                throw RenderingError.encoderFailed(
                    path: url.path, reason: "exit status \(encoder!.terminationStatus): \(encoderMessage())")
            }
        }
    }

    private func encoderMessage() -> String {
        guard let encoderErrors else { return "" }
        return String(decoding: encoderErrors.fileHandleForReading.availableData, as: UTF8.self).trimmingCharacters(
            in: .whitespacesAndNewlines)
    }
}
