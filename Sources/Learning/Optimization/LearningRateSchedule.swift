/// The linearly decayed learning rate of update `update` (1-based) of `updates`: `lr0·(1 − (u−1)/U)`.
public func linearlyDecayedLearningRate(_ initial: Double, update: Int, updates: Int) -> Double {
    initial * (1 - Double(update - 1) / Double(updates))
}
