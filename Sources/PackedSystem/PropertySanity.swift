/// Whether a property says something about the protocol (issue 13, item 3): `trivial` when it holds by
/// construction (see `Triviality`), `vacuous` when its premise is never true in a reachable state (see
/// `Vacuity`), else `ok`. The note says why.
public enum PropertySanity: Sendable, Hashable {
    case ok
    case trivial(String)
    case vacuous(String)

    /// `ok`, `trivial` or `vacuous`.
    public var label: String {
        switch self {
        case .ok: return "ok"
        case .trivial: return "trivial"
        case .vacuous: return "vacuous"
        }
    }

    /// Why, when not `ok`.
    public var note: String? {
        switch self {
        case .ok: return nil
        case .trivial(let why), .vacuous(let why): return why
        }
    }
}
