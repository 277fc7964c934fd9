import CMuJoCo
import MuJoCo

/// MuJoCo's own renderer for one model: the abstract scene (`mjvScene`), visualisation options,
/// the camera and the OpenGL resources (`mjrContext`), drawing into the current
/// ``GraphicsContext``'s window or its offscreen framebuffer.
public final class SceneRenderer {
    /// The model drawn.
    public let model: MuJoCoModel
    let scene: UnsafeMutablePointer<mjvScene>
    let camera: UnsafeMutablePointer<mjvCamera>
    let options: UnsafeMutablePointer<mjvOption>
    let context: UnsafeMutablePointer<mjrContext>
    /// Offscreen image width and height in pixels (the window's size is separate).
    public let width: Int, height: Int
    /// The window and OpenGL context drawn in; kept alive while the OpenGL resources exist.
    public let graphics: GraphicsContext
    private var pixels: [UInt8]

    /// Uploads `model` to the current OpenGL context with an offscreen buffer of at least
    /// `width`×`height` pixels (the model's `visual/global/offwidth` and `offheight` when larger;
    /// no multisampling for ``RenderQuality/fast``), and sets up `camera` (of task `task`, for
    /// the tracking defaults). The model is left as it was.
    public init(
        model: MuJoCoModel, task: String, width: Int, height: Int, camera choice: CameraChoice, quality: RenderQuality,
        context graphics: GraphicsContext
    ) throws {
        guard (1...8192).contains(width), (1...8192).contains(height) else {
            throw RenderingError.invalidSize(width: width, height: height)
        }
        var configured = mjvCamera()
        mjv_defaultCamera(&configured)
        try choice.configure(&configured, model: model, task: task)
        self.model = model
        self.graphics = graphics
        self.width = width
        self.height = height
        self.pixels = [UInt8](repeating: 0, count: width * height * 3)
        camera = .allocate(capacity: 1)
        camera.initialize(to: configured)
        scene = .allocate(capacity: 1)
        options = .allocate(capacity: 1)
        context = .allocate(capacity: 1)
        mjv_defaultOption(options)
        mjv_defaultScene(scene)
        mjr_defaultContext(context)
        // The offscreen buffer's size and samples are read from the model when the context is
        // made; they are set for it and restored afterwards.
        let visual = model.pointer.pointee.vis
        model.pointer.pointee.vis.global.offwidth = max(visual.global.offwidth, Int32(width))
        model.pointer.pointee.vis.global.offheight = max(visual.global.offheight, Int32(height))
        if quality == .fast { model.pointer.pointee.vis.quality.offsamples = 0 }
        mjv_makeScene(model.pointer, scene, 2000)
        mjr_makeContext(model.pointer, context, Int32(mjFONTSCALE_100.rawValue))
        model.pointer.pointee.vis = visual
        if quality == .fast {
            scene.pointee.flags.0 = 0  // mjRND_SHADOW
            scene.pointee.flags.2 = 0  // mjRND_REFLECTION
        }
    }

    deinit {
        mjr_freeContext(context)
        mjv_freeScene(scene)
        scene.deallocate()
        camera.deallocate()
        options.deallocate()
        context.deallocate()
    }

    /// Draws `simulation`'s current state into `viewport` of the bound framebuffer, with an
    /// optional two-column text overlay (labels, values) in the top-left corner.
    func draw(_ simulation: Simulation, viewport: mjrRect, overlay: (labels: String, values: String)?) {
        mjv_updateScene(model.pointer, simulation.data, options, nil, camera, Int32(mjCAT_ALL.rawValue), scene)
        mjr_render(viewport, scene, context)
        if let overlay {
            mjr_overlay(
                Int32(mjFONT_NORMAL.rawValue), Int32(mjGRID_TOPLEFT.rawValue), viewport, overlay.labels, overlay.values,
                context)
        }
    }

    /// Renders `simulation` offscreen at this renderer's size and returns the image, top row first.
    public func renderImage(_ simulation: Simulation, overlay: (labels: String, values: String)? = nil) -> RGBImage {
        mjr_setBuffer(Int32(mjFB_OFFSCREEN.rawValue), context)
        let viewport = mjrRect(left: 0, bottom: 0, width: Int32(width), height: Int32(height))
        draw(simulation, viewport: viewport, overlay: overlay)
        pixels.withUnsafeMutableBufferPointer { mjr_readPixels($0.baseAddress, nil, viewport, context) }
        // OpenGL's rows run bottom to top.
        let row = width * 3
        var flipped = [UInt8](repeating: 0, count: pixels.count)
        for y in 0..<height {
            let source = (height - 1 - y) * row
            flipped.replaceSubrange((y * row)..<((y + 1) * row), with: pixels[source..<(source + row)])
        }
        return RGBImage(width: width, height: height, pixels: flipped)
    }
}
