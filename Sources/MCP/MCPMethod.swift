import Locking
import Wire

/// One MCP method: its name, how its parameters are read, and its answer.
///
/// One caseless enum per method, in `Methods/`; adding a method is its file and one line
/// of `MCPServer.methods`.
public protocol MCPMethod: Sendable {
    /// The JSON-RPC method name (`tools/list`).
    static var name: String { get }
    /// How long a 2026-07-28 client may reuse the result, stamped on modern results; `nil`
    /// for results that must not be cached.
    static var cacheHint: CacheHint? { get }
    /// Whether the method exists in the legacy era only (`logging/setLevel`).
    static var isLegacyOnly: Bool { get }
    /// Answers a request.
    static func respond(to request: MCPRequest) async -> Result<JSONValue, RPCError>
}

extension MCPMethod {
    /// Most results are not cacheable.
    public static var cacheHint: CacheHint? { nil }
    /// Most methods exist in both eras.
    public static var isLegacyOnly: Bool { false }
}

/// `ttlMs` and `cacheScope` of a 2026-07-28 result.
public struct CacheHint: Sendable {
    /// How long the result may be reused, in milliseconds.
    public let ttlMs: Int

    /// Creates a hint; the scope is always `private`, because every answer depends on this
    /// process's configuration (toolsets, ceilings, saved results).
    public init(ttlMs: Int) { self.ttlMs = ttlMs }

    /// For answers fixed for the life of the process (tools, prompts).
    public static let processLifetime = CacheHint(ttlMs: 3_600_000)
}

/// Which revision a request belongs to.
public enum MCPEra: Sendable, Equatable {
    /// A session opened by `initialize` (≤ 2025-11-25), with its negotiated version.
    case legacy(String)
    /// A stateless 2026-07-28 request, with its version from `_meta`.
    case modern(String)

    /// Whether this is the stateless era.
    public var isModern: Bool {
        if case .modern = self { return true }
        return false
    }
}

/// The state a legacy session keeps between requests.
public struct MCPSession: Sendable {
    /// The version `initialize` negotiated.
    public var legacyVersion: String?
    /// The level `logging/setLevel` asked for.
    public var legacyLogLevel: LogLevel?
    /// Whether `initialize` declared form-mode elicitation.
    public var legacyCanElicit = false
}

/// One request as a method sees it.
public struct MCPRequest: Sendable {
    /// The request's `params`.
    public let params: [String: JSONValue]
    /// Its era.
    public let era: MCPEra
    /// The log level the client asked for, if any.
    public let logLevel: LogLevel?
    /// The application behind the methods.
    public let application: any MCPApplication
    /// The legacy session.
    public let session: Locked<MCPSession>
    /// Writes a server notification (progress, log messages).
    public let notify: @Sendable (JSONValue) -> Void
    /// Writes a line to stderr.
    public let diagnostics: @Sendable (String) -> Void
    /// The capabilities this server declares.
    public let capabilities: JSONValue
    /// Tools per `tools/list` page.
    public let toolsPageSize: Int
    /// The server's own requests to the client, waiting for their responses.
    public let outgoing: OutgoingRequests
}
