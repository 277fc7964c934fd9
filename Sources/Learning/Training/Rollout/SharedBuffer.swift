import Environments

/// Memory that a rollout's workers fill at disjoint indices (each at its own environments'
/// rows), read as an array once they have met.
final class SharedBuffer<Element> {
    let pointer: UnsafeMutableBufferPointer<Element>

    init(repeating value: Element, count: Int) {
        pointer = .allocate(capacity: count)
        pointer.initialize(repeating: value)
    }

    deinit {
        pointer.deinitialize()
        pointer.deallocate()
    }

    var array: [Element] { Array(pointer) }
}
