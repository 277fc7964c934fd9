import Environments
import Foundation
import Testing

@testable import Rendering

/// Runs rendering code with a display: the session's own when DISPLAY is set, otherwise a
/// private Xvfb started for the call and stopped afterwards.
enum TestDisplay {
    /// Why OpenGL cannot be used here, or nil when it can (probed once: display, context, one frame).
    static let unavailableReason: String? = {
        do {
            try run {
                let environment = try EnvironmentRegistry.make("Hopper-v4")
                let recorder = try EpisodeRecorder(
                    environment: environment, policy: { _ in [0, 0, 0] }, width: 16, height: 16)
                environment.reset(seed: 0)
                _ = recorder.renderer.renderImage(environment.simulation)
            }
            return nil
        } catch {
            return "\(error)"
        }
    }()

    /// False (with the reason printed) when OpenGL cannot be used, except on CI (`CI=true`),
    /// where setup installs Xvfb and Mesa: there the tests run and fail with the real error.
    static var canRender: Bool {
        if let reason = unavailableReason, ProcessInfo.processInfo.environment["CI"] != "true" {
            print("RenderingTests: skipping OpenGL tests: \(reason)")
            return false
        }
        return true
    }

    static func run<T>(_ body: () throws -> T) throws -> T {
        let display = try VirtualDisplay.acquire()
        defer { display?.release() }
        return try body()
    }
}

func temporaryDirectory(_ name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
        "spo-rendering-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Number of distinct colours in an image.
func colourCount(_ image: RGBImage) -> Int {
    var colours = Set<Int>()
    for i in stride(from: 0, to: image.pixels.count, by: 3) {
        colours.insert(Int(image.pixels[i]) << 16 | Int(image.pixels[i + 1]) << 8 | Int(image.pixels[i + 2]))
    }
    return colours.count
}

/// Fraction of pixels that differ between two images of the same size.
func differingFraction(_ a: RGBImage, _ b: RGBImage) -> Double {
    var differing = 0
    for i in stride(from: 0, to: a.pixels.count, by: 3) where a.pixels[i..<(i + 3)] != b.pixels[i..<(i + 3)] {
        differing += 1
    }
    return Double(differing) / Double(a.width * a.height)
}

@Suite(
    "Rendering with OpenGL", .serialized,
    .enabled(if: TestDisplay.canRender, "needs OpenGL: a display or Xvfb with Mesa (see scripts/setup)"))
struct RenderingTests {
    @Test("each task renders non-blank PNG frames that change as the agent moves", arguments: EnvironmentRegistry.ids)
    func taskFrames(task: String) throws {
        let directory = try temporaryDirectory(task)
        defer { try? FileManager.default.removeItem(at: directory) }
        let steps = 6
        let summary = try TestDisplay.run {
            let environment = try EnvironmentRegistry.make(task)
            let policy = InspectionPolicy.random.actionFunction(spec: environment.spec, seed: 7)
            let recorder = try EpisodeRecorder(environment: environment, policy: policy, width: 160, height: 120)
            return try recorder.record(episodes: 1, seed: 3, maxSteps: steps, to: directory.path)
        }
        #expect(summary.format == .pngDirectory)
        #expect(summary.framesRendered == steps + 1 && summary.framesWritten == steps + 1)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(files == (0...steps).map { String(format: "frame_%05d.png", $0) })
        let frames = try files.map { try decodePNG(Data(contentsOf: directory.appendingPathComponent($0))) }
        for frame in frames {
            #expect(frame.width == 160 && frame.height == 120)
            #expect(colourCount(frame) > 100, "\(task): a frame has only \(colourCount(frame)) colours")
        }
        let change = differingFraction(frames.first!, frames.last!)
        #expect(change > 0.01, "\(task): first and last frame differ in only \(change * 100)% of pixels")
    }

    @Test("a Hopper GIF holds every 5th frame (125 fps → 4 cs delays) and decodes")
    func hopperGIF() throws {
        let directory = try temporaryDirectory("gif")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("hopper.gif").path
        let summary = try TestDisplay.run {
            let environment = try EnvironmentRegistry.make("Hopper-v4")
            let policy = InspectionPolicy.random.actionFunction(spec: environment.spec, seed: 1)
            let recorder = try EpisodeRecorder(environment: environment, policy: policy, width: 120, height: 90)
            return try recorder.record(episodes: 1, seed: 1, maxSteps: 20, to: path)
        }
        #expect(summary.format == .gif && summary.framesRendered == 21 && summary.framesWritten == 5)
        #expect(abs(summary.videoFramesPerSecond - 25) < 1e-9)
        let gif = try decodeGIF(Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(gif.width == 120 && gif.height == 90)
        #expect(gif.frames.count == 5 && gif.delays == [4, 4, 4, 4, 4])
        #expect(Set(gif.frames[0]).count > 5 && gif.frames.first != gif.frames.last)
    }

    @Test(
        "a Hopper MP4 from ffmpeg has one frame per rendered frame",
        .enabled(if: FrameSink.ffmpegPath != nil, "needs ffmpeg on PATH"))
    func hopperMP4() throws {
        let directory = try temporaryDirectory("mp4")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("hopper.mp4").path
        let summary = try TestDisplay.run {
            let environment = try EnvironmentRegistry.make("Hopper-v4")
            // The zero action keeps Hopper up for more than 24 steps.
            let recorder = try EpisodeRecorder(
                environment: environment, policy: InspectionPolicy.zero.actionFunction(spec: environment.spec, seed: 2),
                width: 161, height: 121)
            return try recorder.record(episodes: 1, seed: 1, maxSteps: 24, to: path)
        }
        #expect(summary.format == .mp4 && summary.framesWritten == 25)
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: FrameSink.ffmpegPath!).deletingLastPathComponent()
            .appendingPathComponent("ffprobe")
        probe.arguments = [
            "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
            "stream=nb_read_frames,width,height,r_frame_rate", "-of", "csv=p=0", path,
        ]
        let output = Pipe()
        probe.standardOutput = output
        try probe.run()
        probe.waitUntilExit()
        let fields = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").map(String.init)
        #expect(fields == ["162", "122", "125/1", "25"])
    }

    @Test("rendering leaves the environment's steps bit-identical")
    func renderingDoesNotChangePhysics() throws {
        let directory = try temporaryDirectory("identical")
        defer { try? FileManager.default.removeItem(at: directory) }
        let rendered = try TestDisplay.run {
            let environment = try EnvironmentRegistry.make("Walker2d-v4")
            let recorder = try EpisodeRecorder(
                environment: environment,
                policy: InspectionPolicy.random.actionFunction(spec: environment.spec, seed: 5),
                width: 64, height: 48)
            return try recorder.record(episodes: 2, seed: 9, maxSteps: 40, to: directory.path)
        }
        let environment = try EnvironmentRegistry.make("Walker2d-v4")
        let policy = InspectionPolicy.random.actionFunction(spec: environment.spec, seed: 5)
        var returns: [Double] = []
        for episode in 0..<2 {
            var observation = environment.reset(seed: 9 + UInt64(episode))
            var total = 0.0
            for _ in 0..<40 {
                let step = try environment.step(policy(observation))
                observation = step.observation
                total += step.reward
                if step.terminated || step.truncated { break }
            }
            returns.append(total)
        }
        #expect(rendered.returns == returns)
    }

    @Test("the interactive window opens, replays episodes in real time and closes (under Xvfb it is not seen)")
    func viewerWindow() throws {
        let (stopped, finished) = try TestDisplay.run {
            let environment = try EnvironmentRegistry.make("HalfCheetah-v4")
            let viewer = try Viewer(
                environment: environment, policy: InspectionPolicy.zero.actionFunction(spec: environment.spec, seed: 0),
                width: 200, height: 150)
            let stopped = try viewer.run(episodes: 1, seed: 1, maxFrames: 3)
            let start = Date()
            let finished = try viewer.run(episodes: 2, seed: 1, maxSteps: 4)
            return (stopped, (returns: finished, seconds: Date().timeIntervalSince(start)))
        }
        #expect(stopped.isEmpty)
        #expect(finished.returns.count == 2)
        // Eight steps of 0.05 s shown in real time.
        #expect(finished.seconds >= 0.35, "two 4-step episodes took \(finished.seconds) s")
    }

    @Test("named cameras render; an unknown camera name lists the valid ones")
    func cameras() throws {
        try TestDisplay.run {
            let environment = try EnvironmentRegistry.make("Ant-v4")
            environment.reset(seed: 0)
            for camera in [CameraChoice.free, .named("track")] {
                let recorder = try EpisodeRecorder(
                    environment: environment, policy: { _ in [] }, width: 64, height: 48, camera: camera)
                #expect(colourCount(recorder.renderer.renderImage(environment.simulation)) > 20)
            }
            #expect(
                throws: RenderingError.unknownCamera(
                    name: "side", task: "Ant-v4", valid: ["tracking", "free", "track"])
            ) {
                try EpisodeRecorder(
                    environment: environment, policy: { _ in [] }, width: 64, height: 48, camera: .named("side"))
            }
        }
    }
}

@Suite("Image encoders")
struct ImageEncoderTests {
    @Test("PNG round trip")
    func pngRoundTrip() throws {
        var random = RandomGenerator(seed: 4)
        let image = RGBImage(
            width: 37, height: 11, pixels: (0..<(37 * 11 * 3)).map { _ in UInt8(random.next() & 0xFF) })
        #expect(try decodePNG(PNGFile.encode(image)) == image)
    }

    @Test("GIF LZW round trip through table resets, and the colour cube")
    func gifRoundTrip() throws {
        var random = RandomGenerator(seed: 6)
        // Noise fills the 4096-code table several times; smooth bands exercise long strings.
        var pixels: [UInt8] = []
        for i in 0..<(200 * 150) {
            if i < 15000 {
                for _ in 0..<3 { pixels.append(UInt8(random.next() & 0xFF)) }
            } else {
                pixels += [UInt8(i / 200 % 256), 128, 255]
            }
        }
        var encoder = GIFEncoder(width: 200, height: 150, delayCentiseconds: 3)
        encoder.add(RGBImage(width: 200, height: 150, pixels: pixels))
        encoder.add(RGBImage(width: 200, height: 150, pixels: [UInt8](repeating: 0, count: 200 * 150 * 3)))
        encoder.finish()
        let gif = try decodeGIF(encoder.data)
        #expect(gif.frames.count == 2 && gif.delays == [3, 3])
        func level(_ value: UInt8) -> Int { (Int(value) + 25) / 51 }
        let expected = (0..<(200 * 150)).map { (i: Int) -> UInt8 in
            let red = level(pixels[3 * i]), green = level(pixels[3 * i + 1]), blue = level(pixels[3 * i + 2])
            return UInt8(red * 36 + green * 6 + blue)
        }
        #expect(gif.frames[0] == expected)
        #expect(gif.frames[1] == [UInt8](repeating: 0, count: 200 * 150))
    }

    @Test(
        "GIF timing: whole centisecond delays of at least 2",
        arguments: [
            (0.008, 5, 4), (0.015, 2, 3), (0.05, 1, 5), (0.002, 10, 2),
        ])
    func gifTiming(dt: Double, stride: Int, delay: Int) {
        let timing = FrameSink.gifTiming(dt: dt)
        #expect(timing.stride == stride && timing.delayCentiseconds == delay)
    }
}
