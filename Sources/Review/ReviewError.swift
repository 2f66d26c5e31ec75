/// A problem the reviewer's commands report to the user and exit 2 for: a model that does not load, a git
/// revision that does not exist, an unreadable or malformed log, a bad option value.
public struct ReviewError: Error, Sendable, CustomStringConvertible {
    /// The message, ready to print (it may span several lines, such as a model's diagnostics).
    public let message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}
