import Foundation

/// One setting: an environment variable, which is also a command-line flag.
public struct ConfigKey: Sendable {
    /// The environment variable.
    public let variable: String
    /// What it does, for `--help` and the README.
    public let meaning: String
    /// Whether its value is a secret (masked by `doctor`, redacted everywhere).
    public let isSecret: Bool

    /// Creates a key.
    public init(_ variable: String, _ meaning: String, secret: Bool = false) {
        self.variable = variable
        self.meaning = meaning
        self.isSecret = secret
    }

    /// The prefix of the server's own settings, left out of their flags.
    public static let serverPrefix = "SOCIAL_DATA_MCP_"

    /// The flag: `SOCIAL_DATA_MCP_MAX_SPEND_CNY` is `--max-spend-cny`,
    /// `DATANEXUS_API_KEY` is `--datanexus-api-key`.
    public var flag: String {
        var name = variable
        if name.hasPrefix(ConfigKey.serverPrefix) { name.removeFirst(ConfigKey.serverPrefix.count) }
        return "--" + String(name.lowercased().map { $0 == "_" ? "-" : $0 })
    }
}
