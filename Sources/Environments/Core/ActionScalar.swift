/// The element type of an action: `Float` (the normal case) or `Double`.
///
/// Gymnasium computes the control cost of Ant, HalfCheetah, Hopper and Walker2d in
/// the precision of the action array it is given (NumPy 2 promotion), so the
/// element type changes the reward's last bits.
public protocol ActionScalar: BinaryFloatingPoint, Sendable {}

extension Float: ActionScalar {}

extension Double: ActionScalar {}
