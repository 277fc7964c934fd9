import Foundation

/// The colour-blind-safe palette of every figure (Okabe & Ito 2008), in the order series are
/// coloured; it repeats after eight series.
public enum FigurePalette {
    /// Blue, orange, bluish green, vermillion, reddish purple, sky blue, black, yellow (hex RGB).
    public static let colors = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"]

    /// The colour of the `index`-th series.
    public static func color(_ index: Int) -> String { colors[index % colors.count] }
}
