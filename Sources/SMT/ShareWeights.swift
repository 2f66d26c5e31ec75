import Foundation

/// The states the simulations of one model's combinations saw, so that a combination's share of the command's time
/// limit follows what it needs: under `--smt-method auto`, once a run's simulation has counted its states, its
/// equal share (`SMTOptions.timeShare`) is scaled by its states over the mean of the runs weighed so far (its own
/// included), at least `floor` of the equal share and at most the time left of the limit. Measured reason
/// (docs/smt.md "Variant combinations share the limit"): v2-qemu-p2p's two 39,886-state combinations need about
/// 26 s of certificate each while its 7,451-state ones need a few; equal 15 s shares fitted neither large one.
/// What a run leaves unused still rolls forward (the shares of the runs after it are taken from the time left when
/// they start), and the command's `--timeout` stays the limit of every run. Only when runs stop: the verdicts of
/// a run that finishes in its share are the same with any share. Shared by the combinations' threads.
public final class ShareWeights: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0
    private var weighed = 0
    /// The smallest fraction of its equal share a run gets, however small it is (its k-induction and BMC need
    /// time that does not follow the states).
    public let floor: Double

    /// An empty record; `floor` as above.
    public init(floor: Double = 0.5) { self.floor = floor }

    /// The share of a run with `share` seconds as its equal share whose simulation saw `states` states, at most
    /// `limit` seconds (the time left of the command's limit; nil: none). Records the run's states.
    public func weighted(_ share: Double, states: Int, limit: Double?) -> Double {
        lock.lock()
        defer { lock.unlock() }
        total += max(1, states)
        weighed += 1
        let mean = Double(total) / Double(weighed)
        let scaled = share * max(floor, Double(max(1, states)) / mean)
        return min(limit ?? .infinity, scaled)
    }
}
