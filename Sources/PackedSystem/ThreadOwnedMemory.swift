/// Memory that one search thread writes while another writes its own: whole, aligned pairs of cache lines, so
/// that no line (nor the adjacent line the prefetcher fetches with it) holds two threads' data.
///
/// Why it matters: the buffers of each worker of a parallel search (its machine's stack, scratch and successor
/// buffers, its action counters) are allocated one after another on the thread that starts the search, so
/// without this the end of one worker's buffer and the start of the next share a line, written by both threads
/// on every transition. On the 2-core benchmark machine the host at times places the two virtual CPUs on
/// different core complexes, where handing a line from one core to the other takes about 180 ns instead of
/// about 27 (a ping-pong of one line: 350 against 55 ns per round trip, measured in turn with the benchmarks).
public enum ThreadOwnedMemory {
    /// Two 64-byte lines: the unit the adjacent-line prefetcher moves.
    public static let lineBytes = 128

    /// Room for `capacity` values of `T` (at least one), rounded up to whole lines and aligned to a line.
    /// Free it with `deallocate(_:)`.
    public static func allocate<T>(_: T.Type = T.self, capacity: Int) -> UnsafeMutablePointer<T> {
        let bytes = max(1, capacity) * MemoryLayout<T>.stride
        let rounded = (bytes + lineBytes - 1) / lineBytes * lineBytes
        return UnsafeMutableRawPointer.allocate(byteCount: rounded, alignment: max(lineBytes, MemoryLayout<T>.alignment))
            .bindMemory(to: T.self, capacity: max(1, capacity))
    }

    /// Room for `values.count` values (at least one), initialised with them.
    public static func copy<T>(_ values: [T]) -> UnsafeMutablePointer<T> {
        let pointer: UnsafeMutablePointer<T> = allocate(capacity: values.count)
        if !values.isEmpty { pointer.initialize(from: values, count: values.count) }
        return pointer
    }

    /// Frees memory from `allocate` (its values must be trivial or already deinitialised).
    public static func deallocate<T>(_ pointer: UnsafeMutablePointer<T>) {
        UnsafeMutableRawPointer(pointer).deallocate()
    }
}

/// 128 bytes that keep the fields of objects written by different threads off each other's cache lines (and
/// their adjacent-line prefetch pairs): the first and last stored property of such an object (a search
/// worker, a round's chunk, a machine). The objects are allocated one after another on one thread.
public struct CacheLinePadding {
    private let bytes: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                        UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

    public init() {}
}
