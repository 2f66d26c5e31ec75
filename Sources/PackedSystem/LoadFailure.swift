/// A model that could not be loaded: its file and the rendered messages (diagnostics, or why it is unreadable).
/// Below every command's layer (the loader in Review, the variant loop of the checking facade, the report pages),
/// so one type carries a load failure from where it happens to the renderer that shows it.
public struct LoadFailure: Error, Sendable {
    /// The file as named on the command line.
    public let file: String
    /// The messages, each ready to print.
    public let messages: [String]
    /// Set when a budget stopped the loading (exit 3), not a problem of the model (exit 2).
    public let stopReason: String?
    /// Creates a failure.
    public init(file: String, messages: [String], stopReason: String? = nil) {
        self.file = file
        self.messages = messages
        self.stopReason = stopReason
    }
}
