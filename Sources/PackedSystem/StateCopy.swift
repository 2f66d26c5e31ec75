extension UnsafeMutablePointer<UInt64> {
    /// Copies a packed state of `wordCount` words from `source`. A one-word state is one move: `update(from:count:)`
    /// calls `memmove` for a count unknown at compile time, once per stored, expanded or emitted state (deep K=70,
    /// one thread: 0.954x and 0.975x the user time in two measurements of 7 alternating pairs, Benchmarks/README.md).
    /// The one place the explorer's store, its search loops and the machine's successors copy a state.
    @inlinable @inline(__always)
    public func copyState(from source: UnsafePointer<UInt64>, wordCount: Int) {
        if wordCount == 1 {
            pointee = source.pointee
        } else {
            update(from: source, count: wordCount)
        }
    }
}
