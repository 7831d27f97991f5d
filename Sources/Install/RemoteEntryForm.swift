import Wire

/// How a client's config names a remote MCP server (a team server over Streamable HTTP)
/// and where the member's token goes, so that only a reference to it is ever written.
public struct RemoteEntryForm: Sendable {
    /// Where the token comes from when the client connects.
    public enum Token: Sendable, Equatable {
        /// `headers.Authorization = "Bearer <reference>"`, the reference in the client's own
        /// syntax (`${VAR}`, `${env:VAR}`, `$VAR`, or VS Code's password prompt).
        case authorizationHeader
        /// `bearer_token_env_var = "VAR"` (Codex, which refuses a token written in the file).
        case bearerTokenVariable
    }

    /// The member holding the URL: `url`, `serverUrl` (Windsurf), `httpUrl` (Gemini CLI).
    public let urlKey: String
    /// Members the entry carries besides the URL and the token (`"type": "http"`).
    public let fields: [String: JSONValue]
    /// Where the token goes.
    public let token: Token

    /// Creates a form.
    public init(urlKey: String = "url", fields: [String: JSONValue] = [:], token: Token = .authorizationHeader) {
        self.urlKey = urlKey
        self.fields = fields
        self.token = token
    }
}
