import CExplorerSupport

/// The parent of every stored state in about 1.1 bytes instead of 4.
///
/// Why it works: the store numbers states in breadth-first discovery order, and a state's parent is the first
/// state whose expansion produced it, so the parents of consecutive states never decrease (the search expands
/// states in index order and appends what is new). Each state therefore stores the difference to the previous
/// state's parent in one byte; every 64th state stores its parent in full (a checkpoint), so reading one parent
/// adds at most 63 bytes. A difference of 255 or more, or a negative one (never made by the search, but decoded
/// correctly all the same), is an escape: byte 255, and the parent in a list sorted by state index.
///
/// Initial states come first and have no parent; they are encoded as parent 0 and read back as `noParent`.
/// Distinct states may be written by distinct threads at once (their bytes are distinct memory locations, and a
/// checkpoint belongs to the one state that starts its block); escapes made that way are handed back to the
/// writer and appended in index order afterwards.
struct ParentColumn {
    static let blockShift = 6
    static let escape: UInt8 = 255

    private var deltaArray: MappedArray<UInt8>
    private var checkpointArray: MappedArray<UInt32>
    private var deltas: UnsafeMutablePointer<UInt8> { deltaArray.base }
    private var checkpoints: UnsafeMutablePointer<UInt32> { checkpointArray.base }
    /// `index << 32 | parent` of every escaped state, in index order.
    private(set) var escapes: [UInt64] = []
    /// The number of initial states (a prefix of the store).
    private(set) var initialCount = 0

    /// `mapping` as for `MappedArray.init(count:mapping:)`.
    init(capacity: Int, mapping: StoreMapping = StoreMapping()) {
        deltaArray = MappedArray(count: capacity, mapping: mapping)
        checkpointArray = MappedArray(count: Self.checkpointCount(capacity), mapping: mapping)
    }

    /// Whether both arrays hold memory (see `MappedArray.isMapped`).
    var isMapped: Bool { deltaArray.isMapped && checkpointArray.isMapped }

    func deallocate() {
        deltaArray.deallocate()
        checkpointArray.deallocate()
    }

    static func checkpointCount(_ capacity: Int) -> Int { (capacity >> blockShift) + 1 }

    /// Bytes held for `capacity` states (escapes aside).
    static func bytes(capacity: Int) -> Int { capacity + checkpointCount(capacity) * 4 }

    /// Bytes held by the escape list.
    var escapeBytes: Int { escapes.capacity * 8 }

    /// False when the system refuses the memory (the column then still holds what it held); `mapping` as for
    /// `MappedArray.resize`.
    mutating func resize(capacity: Int, mapping: StoreMapping = StoreMapping()) -> Bool {
        deltaArray.resize(count: capacity, mapping: mapping)
            && checkpointArray.resize(count: Self.checkpointCount(capacity), mapping: mapping)
    }

    /// Marks the next state (number `index`, which must equal the number of initial states so far) as initial.
    mutating func appendInitial(at index: Int) {
        precondition(index == initialCount, "initial states must be stored before any other state")
        initialCount += 1
        write(at: index, parent: 0, previous: 0) { _ in }
    }

    /// Writes the parent of state `index`, whose predecessor `index - 1` has encoded parent `previous` (0 when
    /// it is initial or `index` is 0). An escape is passed to `escaped` as `index << 32 | parent`; the caller
    /// appends it (in index order) with `appendEscapes`.
    @inline(__always)
    func write(at index: Int, parent: UInt32, previous: UInt32, escaped: (UInt64) -> Void) {
        if index & ((1 << Self.blockShift) - 1) == 0 {
            checkpoints[index >> Self.blockShift] = parent
            deltas[index] = 0
            return
        }
        if parent >= previous, parent - previous < UInt32(Self.escape) {
            deltas[index] = UInt8(truncatingIfNeeded: parent - previous)
        } else {
            deltas[index] = Self.escape
            escaped(UInt64(index) << 32 | UInt64(parent))
        }
    }

    /// Writes the parent of state `index` on the calling (only) thread, escapes included.
    @inline(__always)
    mutating func append(at index: Int, parent: UInt32, previous: UInt32) {
        var escape: UInt64?
        write(at: index, parent: parent, previous: previous) { escape = $0 }
        if let escape { escapes.append(escape) }
    }

    /// Appends escapes made by `write(at:parent:previous:escaped:)`, which must follow every escape so far.
    mutating func appendEscapes(_ more: [UInt64]) {
        if let last = escapes.last, let first = more.first {
            precondition(last >> 32 < first >> 32, "parent escapes out of order")
        }
        escapes.append(contentsOf: more)
    }

    /// Drops the escapes of states at or after `count` (a round stopped by the state limit wrote fewer states).
    mutating func truncate(to count: Int) {
        while let last = escapes.last, Int(last >> 32) >= count { escapes.removeLast() }
    }

    /// The encoded parent of state `index` (0 for an initial state).
    func encoded(_ index: Int) -> UInt32 {
        let blockStart = (index >> Self.blockShift) << Self.blockShift
        var parent = checkpoints[index >> Self.blockShift]
        var position = blockStart + 1
        while position <= index {
            let delta = deltas[position]
            parent = delta == Self.escape ? escapedParent(position) : parent &+ UInt32(delta)
            position += 1
        }
        return parent
    }

    /// The parent of state `index`, or `StateStore.noParent` for an initial state.
    func parent(_ index: Int) -> UInt32 {
        index < initialCount ? StateStore.noParent : encoded(index)
    }

    private func escapedParent(_ index: Int) -> UInt32 {
        var low = 0
        var high = escapes.count
        while low < high {
            let middle = (low + high) / 2
            if Int(escapes[middle] >> 32) < index { low = middle + 1 } else { high = middle }
        }
        precondition(low < escapes.count && Int(escapes[low] >> 32) == index, "parent escape missing")
        return UInt32(truncatingIfNeeded: escapes[low])
    }
}

/// The ground action that produced each stored state, in the narrowest of 1, 2 or 4 bytes that holds every
/// action of the model (most models have fewer than 256 ground actions).
struct ActionColumn {
    let width: Int
    private var bytes: MappedArray<UInt8>
    private var raw: UnsafeMutableRawPointer { UnsafeMutableRawPointer(bytes.base) }

    /// `mapping` as for `MappedArray.init(count:mapping:)`.
    init(actionCount: Int, capacity: Int, mapping: StoreMapping = StoreMapping()) {
        width = actionCount <= 1 << 8 ? 1 : actionCount <= 1 << 16 ? 2 : 4
        bytes = MappedArray(count: capacity * width, mapping: mapping)
    }

    /// Whether the column holds memory (see `MappedArray.isMapped`).
    var isMapped: Bool { bytes.isMapped }

    func deallocate() { bytes.deallocate() }

    /// False when the system refuses the memory (the column then still holds what it held); `mapping` as for
    /// `MappedArray.resize`.
    mutating func resize(capacity: Int, mapping: StoreMapping = StoreMapping()) -> Bool {
        bytes.resize(count: capacity * width, mapping: mapping)
    }

    @inline(__always)
    func write(at index: Int, _ action: UInt32) {
        switch width {
        case 1: raw.storeBytes(of: UInt8(truncatingIfNeeded: action), toByteOffset: index, as: UInt8.self)
        case 2: raw.storeBytes(of: UInt16(truncatingIfNeeded: action), toByteOffset: index * 2, as: UInt16.self)
        default: raw.storeBytes(of: action, toByteOffset: index * 4, as: UInt32.self)
        }
    }

    @inline(__always)
    func read(_ index: Int) -> UInt32 {
        switch width {
        case 1: UInt32(raw.load(fromByteOffset: index, as: UInt8.self))
        case 2: UInt32(raw.load(fromByteOffset: index * 2, as: UInt16.self))
        default: raw.load(fromByteOffset: index * 4, as: UInt32.self)
        }
    }
}

/// How the store maps its arrays: the size the system is taken to refuse beyond (tests), and whether large arrays
/// ask for huge pages.
public struct StoreMapping: Sendable, Equatable {
    /// Tests: the most bytes any one array may grow to, as if the system refused more (nil: what it grants).
    public var limit: Int?
    /// Whether arrays of 4 MiB or more are advised huge pages (`madvise(MADV_HUGEPAGE)`, where Linux has it).
    ///
    /// Off by default. On the benchmark machine (a virtual machine whose kernel hands free memory back to the host,
    /// `virtio_balloon`) a huge page the host has taken back costs 6 to 17 ms to fault in, against about 1 ms for the
    /// same 2 MiB in small pages: `Benchmarks/README.md`, "Huge pages". The search then spent more time in the
    /// kernel than huge pages saved it in address translation (deep K=70 on one thread 4.0 s without, 7.5 s with;
    /// p2p-scale N=6, where they saved 11% of the user time, 32.8 s against 34.5 s). Where fresh huge pages are cheap
    /// (a machine that keeps its memory) `--huge-pages` may pay for a large search with random probes.
    public var hugePages: Bool

    public init(limit: Int? = nil, hugePages: Bool = false) {
        self.limit = limit
        self.hugePages = hugePages
    }
}

/// An array of the store in its own anonymous mapping: growing it remaps the pages (no copy), pages never
/// written are never resident, and freeing it returns every page to the system at once. (With `malloc`, glibc's
/// dynamic mmap threshold put the smaller generations of the index on the heap, where their freed pages stayed
/// resident: about 3 bytes per state at 25 M states.)
///
/// A growth the system refuses (an address-space limit, `ulimit -v`, or an overcommit limit) fails and leaves the
/// array as it was, so that the search stops with a reason instead of trapping (`StopReason.outOfMemory`).
struct MappedArray<Element> {
    private(set) var base: UnsafeMutablePointer<Element>
    private var bytes: Int

    /// `count` zeroed elements; nil when the system refuses them, or when they would take more than
    /// `mapping.limit` bytes (tests: a system that refuses more). Huge pages as `mapping.hugePages` says.
    init?(mapping count: Int, as mapping: StoreMapping = StoreMapping()) {
        let (product, overflow) = max(1, count).multipliedReportingOverflow(by: MemoryLayout<Element>.stride)
        guard !overflow, product <= mapping.limit ?? Int.max, let raw = vmc_map(product, mapping.hugePages ? 1 : 0) else { return nil }
        bytes = product
        base = raw.bindMemory(to: Element.self, capacity: max(1, count))
    }

    /// `count` zeroed elements, for the store's first, small arrays; when the system refuses even those (an
    /// address space nearly used up: `check --engine smt` under `ulimit -v 1000000`, whose Z3 threads had taken the
    /// rest, ended here with `Fatal error: out of memory: cannot map 4096 bytes`), an array with no room
    /// (`isMapped` false), whose first `resize` maps afresh. The store then starts with no room, and its first
    /// growth fails or succeeds as any growth does (`StateStore.init`). `mapping` as for `init(mapping:as:)`.
    init(count: Int, mapping: StoreMapping = StoreMapping()) {
        if let array = MappedArray(mapping: count, as: mapping) {
            self = array
        } else {
            // Never read past its first elements nor written anything but zeros: an array with no room holds nothing.
            bytes = 0
            base = vmc_empty_page().bindMemory(to: Element.self, capacity: 1)
        }
    }

    /// Whether the array holds memory of its own (false: the system refused the first mapping).
    var isMapped: Bool { bytes > 0 }

    /// Resizes to `count` elements, keeping the first ones; new elements are zero. False, and the array
    /// unchanged, when the system refuses the memory (or it would exceed `mapping.limit` bytes, as above).
    mutating func resize(count: Int, mapping: StoreMapping = StoreMapping()) -> Bool {
        let (newBytes, overflow) = max(1, count).multipliedReportingOverflow(by: MemoryLayout<Element>.stride)
        let huge: Int32 = mapping.hugePages ? 1 : 0
        guard !overflow, newBytes <= mapping.limit ?? Int.max,
              let raw = isMapped ? vmc_remap(base, bytes, newBytes, huge) : vmc_map(newBytes, huge) else { return false }
        bytes = newBytes
        base = raw.bindMemory(to: Element.self, capacity: max(1, count))
        return true
    }

    func deallocate() {
        if isMapped { vmc_unmap(base, bytes) }
    }
}
