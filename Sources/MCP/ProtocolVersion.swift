/// The MCP revisions and how the server picks one.
public enum ProtocolVersion {
    /// Revisions negotiated with `initialize`, oldest first.
    public static let legacy = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"]
    /// Revisions with per-request `_meta` and no handshake.
    public static let modern = ["2026-07-28"]
    /// Everything `server/discover` advertises, newest first.
    public static let supported = (legacy + modern).reversed().map { $0 }

    /// The `_meta` key that carries a modern request's version.
    public static let metaKey = "io.modelcontextprotocol/protocolVersion"
    /// The `_meta` key that carries a modern request's client capabilities.
    public static let capabilitiesKey = "io.modelcontextprotocol/clientCapabilities"
    /// The `_meta` key of a modern request's log level.
    public static let logLevelKey = "io.modelcontextprotocol/logLevel"
    /// The `_meta` key of the server identity on modern results.
    public static let serverInfoKey = "io.modelcontextprotocol/serverInfo"

    /// The legacy version to answer `initialize` with: the client's when supported,
    /// otherwise the latest legacy one (the client then decides whether to go on).
    public static func negotiate(_ requested: String?) -> String {
        if let requested, legacy.contains(requested) { return requested }
        return legacy[legacy.count - 1]
    }
}
