@testable import Explorer
import Testing

/// The pacer's choices from given round times (the search's own choices depend on the machine, and its results
/// do not: `ParallelTests` runs the modes in every order).
@Suite struct RoundPacerTests {
    /// Runs `rounds` measurable rounds, each of 1,000 units of work at `cost(mode)` nanoseconds per unit, and
    /// returns the modes the pacer chose.
    static func run(_ pacer: inout RoundPacer, rounds: Int, cost: (RoundPacer.Mode) -> UInt64) -> [RoundPacer.Mode] {
        (0..<rounds).map { _ in
            let mode = pacer.nextMode()
            pacer.record(mode, nanoseconds: cost(mode) * 1_000, work: 1_000)
            return mode
        }
    }

    @Test func startsOnTheThreadsAndProbesOneThreadAfterTheFirstInterval() {
        var pacer = RoundPacer()
        let modes = Self.run(&pacer, rounds: RoundPacer.firstInterval + RoundPacer.probeRounds) { _ in 10 }
        #expect(modes.prefix(RoundPacer.firstInterval).allSatisfy { $0 == .parallel })
        #expect(modes.suffix(RoundPacer.probeRounds).allSatisfy { $0 == .sequential })
        // Equally fast: the mode in use stays.
        #expect(pacer.current == .parallel)
    }

    /// `nextRoundIsParallel` promises a round on the threads (the search expands it ahead): whenever it says so after
    /// `nextMode`, the next `nextMode` gives `.parallel`, whatever the round in between recorded; it says so for most
    /// rounds while the threads stay faster, and not while one thread is in use.
    @Test func theRoundItPromisesToTheThreadsRunsThere() {
        let cases: [(parallel: UInt64, sequential: UInt64)] = [(10, 10), (5, 10), (14, 10)]
        for costs in cases {
            var pacer = RoundPacer()
            var promised = 0
            var promise = false
            for _ in 0..<600 {
                let mode = pacer.nextMode()
                if promise { #expect(mode == .parallel) }
                promise = pacer.nextRoundIsParallel()
                if promise { promised += 1 }
                if promise { #expect(mode == .parallel && pacer.current == .parallel) }
                pacer.record(mode, nanoseconds: (mode == .parallel ? costs.parallel : costs.sequential) * 1_000, work: 1_000)
            }
            if costs.parallel < costs.sequential { #expect(promised > 500) }
            if costs.parallel > costs.sequential { #expect(promised < 20) }
        }
        // A test pattern promises exactly its next mode.
        var pattern = RoundPacer(pattern: [.parallel, .parallel, .sequential])
        var promises: [Bool] = []
        for _ in 0..<6 {
            _ = pattern.nextMode()
            promises.append(pattern.nextRoundIsParallel())
        }
        #expect(promises == [true, false, true, true, false, true])
    }

    @Test func switchesToOneThreadWhenItIsFaster() {
        var pacer = RoundPacer()
        let modes = Self.run(&pacer, rounds: 40) { $0 == .parallel ? 14 : 10 }
        #expect(pacer.current == .sequential)
        let probe = RoundPacer.firstInterval + RoundPacer.probeRounds
        #expect(modes[probe...].prefix(RoundPacer.firstInterval).allSatisfy { $0 == .sequential })
        // The threads are probed again after the first interval: two rounds, then back to one thread.
        #expect(Array(modes[(probe + RoundPacer.firstInterval)...].prefix(RoundPacer.probeRounds)) == [.parallel, .parallel])
        #expect(pacer.parallelRounds + pacer.sequentialRounds == 40)
    }

    @Test func switchesBackWhenTheThreadsBecomeFaster() {
        var pacer = RoundPacer()
        _ = Self.run(&pacer, rounds: 30) { $0 == .parallel ? 14 : 10 }
        #expect(pacer.current == .sequential)
        // The host changes: the threads now take half the time.
        _ = Self.run(&pacer, rounds: 40) { $0 == .parallel ? 5 : 10 }
        #expect(pacer.current == .parallel)
    }

    /// Within the margin the mode in use stays, and each probe that confirms it comes after twice as many rounds,
    /// up to the longest interval.
    @Test func probesLessOftenWhileTheModeInUseStaysFaster() {
        var pacer = RoundPacer()
        let modes = Self.run(&pacer, rounds: 4 * RoundPacer.longestInterval) { $0 == .parallel ? 100 : 97 }
        #expect(pacer.current == .parallel)
        var gaps: [Int] = []
        var run = 0
        for mode in modes {
            if mode == .parallel {
                run += 1
            } else if run > 0 {
                gaps.append(run)
                run = 0
            }
        }
        // 8, 16, 32, ... up to the longest interval, then the longest again.
        var expected = [RoundPacer.firstInterval]
        while expected.last.map({ $0 < RoundPacer.longestInterval }) ?? false {
            expected.append(min(2 * (expected.last ?? 0), RoundPacer.longestInterval))
        }
        expected.append(RoundPacer.longestInterval)
        #expect(Array(gaps.prefix(expected.count)) == expected)
    }

    /// The first round of a probe is not measured: a slow first round (cold caches) does not decide.
    @Test func theProbesFirstRoundOnlyWarmsTheCaches() {
        var pacer = RoundPacer()
        var sequentialSeen = 0
        for _ in 0..<(RoundPacer.firstInterval + RoundPacer.probeRounds) {
            let mode = pacer.nextMode()
            var cost: UInt64 = 10
            if mode == .sequential {
                sequentialSeen += 1
                cost = sequentialSeen == 1 ? 1_000 : 5
            }
            pacer.record(mode, nanoseconds: cost * 1_000, work: 1_000)
        }
        #expect(pacer.current == .sequential)
    }

    /// Rounds that cannot be compared (the end of a level) and rounds in which the store grew run in the mode in
    /// use and do not count towards the next probe.
    @Test func unmeasuredRoundsNeitherCountNorDecide() {
        var pacer = RoundPacer()
        for _ in 0..<50 {
            let mode = pacer.nextMode(measurable: false)
            #expect(mode == .parallel)
            pacer.record(mode, nanoseconds: 1, work: 1_000, measured: false)
        }
        for _ in 0..<RoundPacer.firstInterval {
            #expect(pacer.nextMode() == .parallel)
            pacer.record(.parallel, nanoseconds: 10_000, work: 1_000, measured: false)
        }
        // A round whose store grew counted for nothing: the probe is still ahead.
        let modes = Self.run(&pacer, rounds: RoundPacer.firstInterval + 1) { _ in 10 }
        #expect(modes.prefix(RoundPacer.firstInterval).allSatisfy { $0 == .parallel })
        #expect(modes.last == .sequential)
        #expect(pacer.rounds == 50 + 2 * RoundPacer.firstInterval + 1)
    }

    @Test func aPatternRunsItsModesInTurn() {
        var pacer = RoundPacer(pattern: [.sequential, .parallel, .parallel])
        let modes = Self.run(&pacer, rounds: 7) { $0 == .parallel ? 1 : 1_000 }
        #expect(modes == [.sequential, .parallel, .parallel, .sequential, .parallel, .parallel, .sequential])
        #expect(pacer.sequentialRounds == 3)
    }
}
