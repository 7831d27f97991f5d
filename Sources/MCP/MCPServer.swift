import Locking
import Wire

/// Answers MCP requests, independent of the transport.
///
/// It speaks both eras on one connection, as the 2026-07-28 revision's backward
/// compatibility rules describe: a request whose `_meta` carries
/// `io.modelcontextprotocol/protocolVersion` is served statelessly in the modern era;
/// anything else belongs to the legacy session opened by `initialize`. What each method
/// answers is its own type in `Methods/`; this type finds the era, the method and the log
/// level, and stamps what every modern result carries.
public final class MCPServer: MessageHandler {
    /// Every method answered; any other is -32601 at once.
    public static let methods: [any MCPMethod.Type] = [
        Initialize.self, Ping.self, Discover.self, ListTools.self, CallTool.self, SetLogLevel.self,
        ListPrompts.self, GetPrompt.self, ListResources.self, ListResourceTemplates.self, ReadResource.self,
    ]

    /// The capabilities declared in both eras.
    public static let capabilities: JSONValue = [
        "tools": ["listChanged": false], "prompts": ["listChanged": false], "logging": [:],
        "resources": ["listChanged": false, "subscribe": false],
    ]

    /// The application behind the methods.
    public let application: any MCPApplication
    private let handlers: [String: any MCPMethod.Type]
    private let notify: @Sendable (JSONValue) -> Void
    private let diagnostics: @Sendable (String) -> Void
    private let toolsPageSize: Int
    private let session = Locked(MCPSession())
    private let outgoing: OutgoingRequests

    /// Creates a server; `notify` writes server messages (progress, log messages, its own
    /// requests), `diagnostics` writes a line to stderr, `clock` times waits for the client.
    public init(
        application: any MCPApplication,
        toolsPageSize: Int = ListTools.pageSize,
        notify: @escaping @Sendable (JSONValue) -> Void,
        diagnostics: @escaping @Sendable (String) -> Void,
        clock: any ServerClock = SystemClock()
    ) {
        self.outgoing = OutgoingRequests(send: notify, clock: clock)
        self.application = application
        self.handlers = Dictionary(uniqueKeysWithValues: MCPServer.methods.map { ($0.name, $0) })
        self.toolsPageSize = max(1, toolsPageSize)
        self.notify = notify
        self.diagnostics = diagnostics
    }

    /// The response to a request: a result or an error, never nothing.
    public func handle(_ request: RPCRequest) async -> JSONValue {
        await handle(request, notify: notify)
    }

    /// The response to a request whose notifications (progress, log messages) go to
    /// `notify` instead of the server's own: over HTTP they belong on that request's stream.
    public func handle(_ request: RPCRequest, notify: @escaping @Sendable (JSONValue) -> Void) async -> JSONValue {
        switch await respond(to: request, notify: notify) {
        case .success(let result): return JSONRPC.result(id: request.id, result)
        case .failure(let error): return JSONRPC.error(id: request.id, error)
        }
    }

    /// Handles a notification from the client (nothing is ever sent back).
    public func handle(notification method: String, params: [String: JSONValue]) {
        // `notifications/initialized` needs no action; cancellation is handled by the
        // transport, which owns the in-flight tasks; anything else is ignored as the spec asks.
    }

    /// Hands the client's answer to the server's own request that waits for it.
    public func handle(response id: RequestID, result: JSONValue?) {
        outgoing.receive(id: id, result: result)
    }

    /// Tool calls wait their turn behind the transport's bound; everything else is answered at once.
    public func isQueued(_ method: String) -> Bool { method == CallTool.name }

    private func respond(
        to request: RPCRequest,
        notify: @escaping @Sendable (JSONValue) -> Void
    ) async -> Result<JSONValue, RPCError> {
        guard let method = handlers[request.method] else { return .failure(.methodNotFound(request.method)) }
        let era: MCPEra
        switch self.era(of: request) {
        case .success(let found): era = found
        case .failure(let error): return .failure(error)
        }
        if method.isLegacyOnly, era.isModern { return .failure(.methodNotFound(request.method)) }
        let logLevel: LogLevel?
        switch requestedLogLevel(request, era: era) {
        case .success(let level): logLevel = level
        case .failure(let error): return .failure(error)
        }
        let result = await method.respond(
            to: MCPRequest(
                params: request.params,
                era: era,
                logLevel: logLevel,
                application: application,
                session: session,
                notify: notify,
                diagnostics: diagnostics,
                capabilities: MCPServer.capabilities,
                toolsPageSize: toolsPageSize,
                outgoing: outgoing
            )
        )
        guard era.isModern, case .success(.object(var members)) = result else { return result }
        // A method that needs the user's answer first has said so (`input_required`).
        if members["resultType"] == nil { members["resultType"] = "complete" }
        if let hint = method.cacheHint {
            members["ttlMs"] = .int(hint.ttlMs)
            members["cacheScope"] = "private"
        }
        var meta = members["_meta"]?.objectValue ?? [:]
        meta[ProtocolVersion.serverInfoKey] = ServerIdentity.implementation
        members["_meta"] = .object(meta)
        return .success(.object(members))
    }

    private func era(of request: RPCRequest) -> Result<MCPEra, RPCError> {
        let meta = request.params["_meta"]?.objectValue
        if request.method != Initialize.name, let versionValue = meta?[ProtocolVersion.metaKey] {
            guard let version = versionValue.stringValue else {
                return .failure(.invalidParams("_meta[\"\(ProtocolVersion.metaKey)\"] must be a string"))
            }
            guard ProtocolVersion.modern.contains(version) else {
                return .failure(.unsupportedProtocolVersion(requested: version, supported: ProtocolVersion.supported))
            }
            guard meta?[ProtocolVersion.capabilitiesKey]?.objectValue != nil else {
                return .failure(
                    .invalidParams(
                        "_meta[\"\(ProtocolVersion.capabilitiesKey)\"] is required on \(version) requests (an object, {} when none)"
                    )
                )
            }
            return .success(.modern(version))
        }
        let latestLegacy = ProtocolVersion.legacy[ProtocolVersion.legacy.count - 1]
        if request.method == Initialize.name { return .success(.legacy(latestLegacy)) }
        if request.method == Discover.name { return .success(.modern(ProtocolVersion.modern[0])) }
        if let version = session.withLock({ $0.legacyVersion }) { return .success(.legacy(version)) }
        if request.method == Ping.name { return .success(.legacy(latestLegacy)) }
        return .failure(
            .invalidParams(
                "not initialized: send initialize first (MCP ≤ 2025-11-25), or carry "
                    + "_meta[\"\(ProtocolVersion.metaKey)\"] and _meta[\"\(ProtocolVersion.capabilitiesKey)\"] "
                    + "on every request (MCP 2026-07-28)"
            )
        )
    }

    private func requestedLogLevel(_ request: RPCRequest, era: MCPEra) -> Result<LogLevel?, RPCError> {
        switch era {
        case .legacy:
            return .success(session.withLock { $0.legacyLogLevel })
        case .modern:
            guard let value = request.params["_meta"]?[ProtocolVersion.logLevelKey] else { return .success(nil) }
            guard let level = value.stringValue.flatMap(LogLevel.init(rawValue:)) else {
                return .failure(
                    .invalidParams(
                        "unknown log level \(value.jsonText); use one of \(LogLevel.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                )
            }
            return .success(level)
        }
    }
}
