/// Why a model cannot be translated: more initial states or `choose` combinations than the translation writes
/// out, or no initial state. The message is ready to print; the caller decides the exit status.
public struct PromelaExportError: Error, Sendable, CustomStringConvertible {
    /// The message, starting with "error:".
    public let message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}
