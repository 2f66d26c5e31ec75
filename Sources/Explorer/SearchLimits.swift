import PackedSystem

/// The run's limits as the search polls them: the run's interruption (a signal, the command's deadline or a spent
/// budget: `EngineBudget.interruption`) and the search's own time limit, counted from its start.
///
/// One Sendable value, so that the one-thread loop (`timeIsUp`), the parallel workers (`timeBudgetSpent`), the
/// end of each batch (`continueAfterBatch`) and the native compiler's poll (`compileStop`) ask the same question
/// in the same order: the interruption first, then the time limit. (Until 2026-12-05 each spelled it out, and
/// the batch check asked in the other order.)
struct SearchLimits: Sendable {
    let interruption: (@Sendable () -> StopReason?)?
    let timeoutSeconds: Double?
    /// When the search started (monotonic seconds, `ResourceUsage.now()`).
    let start: Double

    /// Why the search must stop at `now`, if it must.
    @inline(__always)
    func stopReason(at now: Double) -> StopReason? {
        if let reason = interruption?() { return reason }
        if let timeoutSeconds, now - start > timeoutSeconds { return .timeLimit(seconds: timeoutSeconds) }
        return nil
    }

    /// Why the search must stop now, if it must. Reads the clock only when there is a time limit.
    @inline(__always)
    func stopReason() -> StopReason? {
        if let reason = interruption?() { return reason }
        guard let timeoutSeconds, ResourceUsage.now() - start > timeoutSeconds else { return nil }
        return .timeLimit(seconds: timeoutSeconds)
    }
}
