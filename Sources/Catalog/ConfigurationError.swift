/// A setting has a value the server cannot use: reported on stderr at startup.
public struct ConfigurationError: Error, Sendable, Equatable {
    /// What is wrong and how to fix it.
    public let message: String

    /// Creates an error.
    public init(message: String) {
        self.message = message
    }
}
