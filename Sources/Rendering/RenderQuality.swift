/// How much of MuJoCo's rendering to do.
public enum RenderQuality: String, Codable, Sendable, CaseIterable {
    /// MuJoCo's (and Gymnasium's) defaults: shadows, reflections, 4× multisampling.
    case full
    /// No shadows, reflections or offscreen multisampling: about 5× faster with Mesa's
    /// software renderer (llvmpipe), at the cost of flatter, aliased images.
    case fast
}
