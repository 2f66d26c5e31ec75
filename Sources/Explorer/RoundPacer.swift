/// How the parallel search runs its rounds (`--parallel-rounds`).
public enum ParallelRounds: String, CaseIterable, Sendable {
    /// Each round on all threads or on the calling thread alone, whichever recent rounds found faster
    /// (`RoundPacer`).
    case adaptive
    /// Every round on all threads: the parallel design itself, as the benchmarks measure it.
    case always
}

/// Chooses, round by round, whether the parallel search runs the next round on all its threads or on the
/// calling thread alone (the one-thread search's expansion and insertion over the same states), from the
/// wall time per unit of work (states expanded plus successors generated) that recent rounds took in each mode.
/// The results are the same either way: both modes store the same states in the same order.
///
/// Why: on a virtual machine whose host places the two virtual CPUs far apart, lines written by one core and
/// read by the other cost several times a memory access, and two threads can be slower than one. On
/// 2026-12-06 at 02:45 UTC, deep K=70 took 1.38x the wall time of one thread on two (`farm-bench -n 5`, medians;
/// user time 2.77x), where at 01:00 UTC the same command gave 0.72x (Benchmarks/README.md, "Two threads and the
/// host").
/// `--threads` defaults to every core, so the default must not lose that much.
///
/// The mode in use runs until a probe is due: then the other mode runs `probeRounds` rounds, of which the
/// first only warms the caches (its chunks' buffers and the index lines the other mode last wrote) and is not
/// measured. After a probe the faster mode is kept, and the other's next probe comes after twice as many rounds
/// as the last one (from `firstInterval` up to `longestInterval`), or after `firstInterval` when the probe
/// switched modes. Rounds that grow the store are not measured (a growth rebuilds the whole index, and would
/// charge one round with the work of thousands).
struct RoundPacer {
    enum Mode: Equatable {
        case parallel, sequential

        var other: Mode { self == .parallel ? .sequential : .parallel }
    }

    /// Rounds of a probe; the first is not measured.
    static let probeRounds = 2
    /// Rounds in the mode in use before the first probe, and after a probe that switched modes.
    static let firstInterval = 8
    /// The longest run of rounds without a probe. A probe costs about a round of the slower mode (its rounds on
    /// one thread take about 1.6x a round on two where the threads pay), so 256 keeps the probes under 1% of a
    /// search's time; with 64 (until 2026-12-07) they were the 2.7% that p2p-scale N=6 lost on two threads
    /// against `--parallel-rounds always` (Benchmarks/README.md, "Two threads: the round's lead"). A full round
    /// (32,768 states) takes about 2 ms on deep K=70 and 13 ms on p2p-scale N=6, so a change of the host's
    /// placement is noticed within half a second and three seconds.
    static let longestInterval = 256
    /// How much faster the other mode must be for a probe to switch to it (hysteresis against noise).
    static let switchMargin = 0.95
    /// The weight of a round in the moving average of its mode's cost.
    static let weight = 0.25

    /// The mode in use between probes.
    private(set) var current: Mode = .parallel
    /// Moving averages of nanoseconds per unit of work, per mode (nil until measured).
    private var parallelCost: Double?
    private var sequentialCost: Double?
    private var interval = firstInterval
    private var untilProbe = firstInterval
    /// Rounds of the probe under way still to run (0: no probe).
    private var probeLeft = 0
    /// Rounds run in each mode, for the run's statistics.
    private(set) var parallelRounds = 0
    private(set) var sequentialRounds = 0
    var rounds: Int { parallelRounds + sequentialRounds }
    /// Modes given in turn instead of chosen (tests, to switch modes at every kind of round).
    private let pattern: [Mode]

    /// A pacer that chooses, or with a non-empty `pattern` one that runs its modes in turn.
    init(pattern: [Mode] = []) {
        self.pattern = pattern
    }

    /// The mode of the next round; `measurable` is false for a round whose time cannot be compared with a full
    /// round's (fewer chunks than a round holds: a frontier narrower than a round, or the search's end), which runs in the mode in use and neither
    /// counts nor is measured.
    mutating func nextMode(measurable: Bool = true) -> Mode {
        if !pattern.isEmpty {
            let mode = pattern[rounds % pattern.count]
            count(mode)
            return mode
        }
        guard measurable else {
            count(current)
            return current
        }
        if probeLeft == 0, untilProbe <= 0 {
            probeLeft = Self.probeRounds
        }
        let mode = probeLeft > 0 ? current.other : current
        count(mode)
        return mode
    }

    /// Whether the round after the one `nextMode` gave last will run on all threads whatever that round's record
    /// says (a measurable one; `nextMode` then gives `.parallel`): the parallel search expands such a round while
    /// it inserts the one before (`ExplicitExplorer.exploreInParallel`). False when a probe may start or is under way.
    func nextRoundIsParallel() -> Bool {
        if !pattern.isEmpty { return pattern[rounds % pattern.count] == .parallel }
        // `record` lowers `untilProbe` by one at most and starts nothing while no probe runs.
        return current == .parallel && probeLeft == 0 && untilProbe >= 2
    }

    private mutating func count(_ mode: Mode) {
        if mode == .parallel { parallelRounds += 1 } else { sequentialRounds += 1 }
    }

    /// Records a round of `mode` (the mode `nextMode` gave) that did `work` units in `nanoseconds`; `measured`
    /// is false for a round whose time says nothing of its mode (it was not measurable, or the store grew in
    /// it): such a round does not count towards a probe or the next one.
    mutating func record(_ mode: Mode, nanoseconds: UInt64, work: Int, measured: Bool = true) {
        guard pattern.isEmpty, measured, work > 0 else { return }
        let cost = Double(nanoseconds) / Double(work)
        if probeLeft > 0 {
            probeLeft -= 1
            // The probe's first round only warms the caches; its last one replaces the probed mode's cost, which
            // is as old as the previous probe.
            if probeLeft == 0 {
                if mode == .parallel { parallelCost = cost } else { sequentialCost = cost }
                decide()
            }
            return
        }
        untilProbe -= 1
        update(mode, cost)
    }

    private mutating func update(_ mode: Mode, _ cost: Double) {
        func averaged(_ old: Double?) -> Double { old.map { $0 + Self.weight * (cost - $0) } ?? cost }
        if mode == .parallel { parallelCost = averaged(parallelCost) } else { sequentialCost = averaged(sequentialCost) }
    }

    private func cost(_ mode: Mode) -> Double? { mode == .parallel ? parallelCost : sequentialCost }

    /// After a probe: keeps the faster mode; probes less often while the mode in use stays the faster.
    private mutating func decide() {
        if let probed = cost(current.other), let kept = cost(current), probed < kept * Self.switchMargin {
            current = current.other
            interval = Self.firstInterval
        } else {
            interval = min(interval * 2, Self.longestInterval)
        }
        untilProbe = interval
    }
}
