/// Who this server is and which protocol revisions it speaks.
public enum ServerIdentity {
    /// The implementation name.
    public static let name = "social-data-mcp"
    /// The display title.
    public static let title = "Social Data MCP"
    /// The release version.
    public static let version = "0.1.0"
    /// The name MCP client configs register the server under (`mcp__social-data__…`).
    public static let registrationName = "social-data"

    /// The `Implementation` object of `serverInfo`.
    public static var implementation: JSONValue {
        ["name": .string(name), "title": .string(title), "version": .string(version)]
    }
}
