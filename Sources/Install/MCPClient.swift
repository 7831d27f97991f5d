import Wire

/// One MCP client this program can register the server with: everything that differs
/// between clients, as data.
///
/// Adding a client is one row in ``MCPClient/all`` (with the source of its facts beside it)
/// and its tests; the installer, the uninstaller and ``InstalledEntry`` read only the row.
public struct MCPClient: Sendable {
    /// The name on the command line (`claude-code`).
    public let name: String
    /// The name people know it by (`Claude Code`).
    public let title: String
    /// How its config file is written.
    public let format: ConfigFormat
    /// Its config file for each scope it has.
    public let locations: [ConfigScope: ConfigLocation]
    /// The scope used when none is given.
    public let defaultScope: ConfigScope
    /// The object (or TOML table) holding the servers: `mcpServers`, `servers`, `mcp_servers`.
    public let container: String
    /// How it refers to an environment variable, if it expands any.
    public let references: ReferenceSyntax
    /// Whether a secret is asked for in a password prompt (`inputs`, `${input:…}`) rather
    /// than referenced from the environment (VS Code).
    public let promptsForSecrets: Bool
    /// Members every entry carries besides `command`, `args` and `env` (`"type": "stdio"`).
    public let entryFields: [String: JSONValue]
    /// The most tools it shows the model at once, when it has such a cap.
    public let toolCap: Int?
    /// Whether it installs an MCP Bundle (`.mcpb`), which keeps keys in the OS keychain.
    public let takesBundle: Bool
    /// How it names a remote server with a token it reads from its environment; `nil` when
    /// it cannot keep a token out of its file (then `install --remote` refuses).
    public let remote: RemoteEntryForm?

    /// Creates a row.
    public init(
        name: String,
        title: String,
        format: ConfigFormat,
        locations: [ConfigScope: ConfigLocation],
        defaultScope: ConfigScope = .user,
        container: String = "mcpServers",
        references: ReferenceSyntax,
        promptsForSecrets: Bool = false,
        entryFields: [String: JSONValue] = [:],
        toolCap: Int? = nil,
        takesBundle: Bool = false,
        remote: RemoteEntryForm? = nil
    ) {
        self.name = name
        self.title = title
        self.format = format
        self.locations = locations
        self.defaultScope = defaultScope
        self.container = container
        self.references = references
        self.promptsForSecrets = promptsForSecrets
        self.entryFields = entryFields
        self.toolCap = toolCap
        self.takesBundle = takesBundle
        self.remote = remote
    }

    /// The row called `name`, or `nil`.
    public static func named(_ name: String) -> MCPClient? { all.first { $0.name == name } }

    /// Every client's name, for help and errors.
    public static var names: String { all.map(\.name).joined(separator: ", ") }

    /// The scopes it has, in a fixed order.
    public var scopes: [ConfigScope] { ConfigScope.allCases.filter { locations[$0] != nil } }

    /// How the entry writes a reference to `variable` (`secret`: a key, token or cookie).
    public func referenceForm(_ variable: String, secret: Bool) -> String {
        promptsForSecrets && secret ? "${input:\(inputID(variable))}" : references.form(variable)
    }

    /// The id of the password prompt for `variable`; the prefix marks it as this server's.
    public func inputID(_ variable: String) -> String { ServerIdentity.registrationName + "-" + variable }
}
