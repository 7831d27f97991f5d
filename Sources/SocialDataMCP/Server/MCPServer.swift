import Locking

/// Answers MCP requests, independent of the transport.
///
/// It speaks both eras on one connection, as the 2026-07-28 revision's backward
/// compatibility rules describe: a request whose `_meta` carries
/// `io.modelcontextprotocol/protocolVersion` is served statelessly in the modern era;
/// anything else belongs to the legacy session opened by `initialize`.
public final class MCPServer: Sendable {
    /// The shared services.
    public let services: ToolServices
    private let runner: ToolRunner
    private let notify: @Sendable (JSONValue) -> Void
    private let diagnostics: @Sendable (String) -> Void
    private let toolsPageSize: Int
    private let session = Locked(Session())
    private let toolList = Locked<[JSONValue]?>(nil)

    private struct Session {
        var legacyVersion: String?
        var legacyLogLevel: LogLevel?
    }

    private enum Era {
        case legacy(String)
        case modern(String)

        var isModern: Bool {
            if case .modern = self { return true }
            return false
        }
    }

    /// The methods answered here; every other method is -32601 at once.
    static let methods: Set<String> = [
        "initialize", "ping", "tools/list", "tools/call", "server/discover", "logging/setLevel", "prompts/list",
        "prompts/get", "resources/list", "resources/read",
    ]

    /// Creates a server; `notify` writes server notifications (progress, log messages),
    /// `diagnostics` writes a line to stderr.
    public init(
        services: ToolServices,
        toolsPageSize: Int = 100,
        notify: @escaping @Sendable (JSONValue) -> Void,
        diagnostics: @escaping @Sendable (String) -> Void
    ) {
        self.services = services
        self.runner = ToolRunner(services: services)
        self.toolsPageSize = max(1, toolsPageSize)
        self.notify = notify
        self.diagnostics = diagnostics
    }

    /// The response to a request: a result or an error, never nothing.
    public func handle(_ request: RPCRequest) async -> JSONValue {
        switch await respond(to: request) {
        case .success(let result): return JSONRPC.result(id: request.id, result)
        case .failure(let error): return JSONRPC.error(id: request.id, error)
        }
    }

    /// Handles a notification from the client (nothing is ever sent back).
    public func handle(notification method: String, params: [String: JSONValue]) {
        // `notifications/initialized` needs no action; cancellation is handled by the
        // transport, which owns the in-flight tasks; anything else is ignored as the spec asks.
    }

    private func respond(to request: RPCRequest) async -> Result<JSONValue, RPCError> {
        guard MCPServer.methods.contains(request.method) else { return .failure(.methodNotFound(request.method)) }
        let era: Era
        switch self.era(of: request) {
        case .success(let found): era = found
        case .failure(let error): return .failure(error)
        }
        let logLevel: LogLevel?
        switch requestedLogLevel(request, era: era) {
        case .success(let level): logLevel = level
        case .failure(let error): return .failure(error)
        }
        let result: Result<JSONValue, RPCError>
        switch request.method {
        case "initialize": result = initialize(request.params)
        case "ping": result = .success([:])
        case "server/discover": result = .success(discover())
        case "tools/list": result = listTools(request.params, era: era)
        case "logging/setLevel": result = setLevel(request.params, era: era)
        case "resources/list": result = listResources(request.params, modern: era.isModern)
        case "resources/read": result = readResource(request.params, modern: era.isModern)
        case "prompts/list": result = listPrompts(request.params, isModern: era.isModern)
        case "prompts/get": result = getPrompt(request.params)
        default: result = await callTool(request, logLevel: logLevel)
        }
        guard case .modern = era, case .success(.object(var members)) = result else { return result }
        members["resultType"] = "complete"
        var meta = members["_meta"]?.objectValue ?? [:]
        meta[ProtocolVersion.serverInfoKey] = ServerIdentity.implementation
        members["_meta"] = .object(meta)
        return .success(.object(members))
    }

    private func era(of request: RPCRequest) -> Result<Era, RPCError> {
        let meta = request.params["_meta"]?.objectValue
        if request.method != "initialize", let versionValue = meta?[ProtocolVersion.metaKey] {
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
        if request.method == "initialize" {
            return .success(.legacy(ProtocolVersion.legacy[ProtocolVersion.legacy.count - 1]))
        }
        if request.method == "server/discover" { return .success(.modern(ProtocolVersion.modern[0])) }
        if let version = session.withLock({ $0.legacyVersion }) { return .success(.legacy(version)) }
        if request.method == "ping" {
            return .success(.legacy(ProtocolVersion.legacy[ProtocolVersion.legacy.count - 1]))
        }
        return .failure(
            .invalidParams(
                "not initialized: send initialize first (MCP ≤ 2025-11-25), or carry "
                    + "_meta[\"\(ProtocolVersion.metaKey)\"] and _meta[\"\(ProtocolVersion.capabilitiesKey)\"] "
                    + "on every request (MCP 2026-07-28)"
            )
        )
    }

    private func requestedLogLevel(_ request: RPCRequest, era: Era) -> Result<LogLevel?, RPCError> {
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

    private var capabilities: JSONValue {
        [
            "tools": ["listChanged": false], "prompts": ["listChanged": false], "logging": [:],
            "resources": ["listChanged": false, "subscribe": false],
        ]
    }

    private var instructions: String { Instructions.text(for: services.catalog, configuration: services.configuration) }

    private func initialize(_ params: [String: JSONValue]) -> Result<JSONValue, RPCError> {
        guard let requested = params["protocolVersion"]?.stringValue else {
            return .failure(.invalidParams("\"protocolVersion\" (a string such as \"2025-11-25\") is required"))
        }
        for member in ["capabilities", "clientInfo"] {
            if let value = params[member], value.objectValue == nil {
                return .failure(.invalidParams("\"\(member)\" must be an object, got \(value.typeName)"))
            }
        }
        let version = ProtocolVersion.negotiate(requested)
        session.withLock { $0.legacyVersion = version }
        return .success([
            "protocolVersion": .string(version),
            "capabilities": capabilities,
            "serverInfo": ServerIdentity.implementation,
            "instructions": .string(instructions),
        ])
    }

    private func discover() -> JSONValue {
        [
            "supportedVersions": .array(ProtocolVersion.supported.map { .string($0) }),
            "capabilities": capabilities,
            "instructions": .string(instructions),
            // The tool set is fixed for the life of the process.
            "ttlMs": .int(3_600_000),
            // The answer depends on this process's configuration (toolsets, ceiling).
            "cacheScope": "private",
        ]
    }

    private func listTools(_ params: [String: JSONValue], era: Era) -> Result<JSONValue, RPCError> {
        let tools = toolList.withLock { cached in
            if let cached { return cached }
            let built = services.catalog.entries.map(\.mcpJSON)
            cached = built
            return built
        }
        var offset = 0
        switch params["cursor"] {
        case nil, .null?: break
        case .string(let cursor)?:
            guard cursor.hasPrefix("offset:"), let value = Int(cursor.dropFirst(7)), (0..<tools.count).contains(value)
            else {
                return .failure(.invalidParams("unknown cursor \"\(cursor)\"; start again without one"))
            }
            offset = value
        case let other?:
            return .failure(.invalidParams("\"cursor\" must be a string, got \(other.typeName)"))
        }
        let end = min(tools.count, offset + toolsPageSize)
        var result: [String: JSONValue] = ["tools": .array(Array(tools[offset..<end]))]
        if end < tools.count { result["nextCursor"] = .string("offset:\(end)") }
        if case .modern = era {
            result["ttlMs"] = .int(3_600_000)
            result["cacheScope"] = "private"
        }
        return .success(.object(result))
    }

    private func setLevel(_ params: [String: JSONValue], era: Era) -> Result<JSONValue, RPCError> {
        guard case .legacy = era else { return .failure(.methodNotFound("logging/setLevel")) }
        guard let level = params["level"]?.stringValue.flatMap(LogLevel.init(rawValue:)) else {
            return .failure(
                .invalidParams("\"level\" must be one of \(LogLevel.allCases.map(\.rawValue).joined(separator: ", "))")
            )
        }
        session.withLock { $0.legacyLogLevel = level }
        return .success([:])
    }

    private func callTool(_ request: RPCRequest, logLevel: LogLevel?) async -> Result<JSONValue, RPCError> {
        guard let name = request.params["name"]?.stringValue else {
            return .failure(.invalidParams("\"name\" (the tool name, a string) is required"))
        }
        let notify = self.notify
        let diagnostics = self.diagnostics
        var progress: ProgressReporter?
        if let token = request.params["_meta"]?["progressToken"], RequestID(token) != nil {
            progress = ProgressReporter(token: token, send: notify)
        }
        let log = CallLog { level, message in
            diagnostics("\(level.rawValue): \(message)")
            if let logLevel, level >= logLevel {
                notify(
                    JSONRPC.notification(
                        method: "notifications/message",
                        params: [
                            "level": .string(level.rawValue), "logger": .string(ServerIdentity.name),
                            "data": .string(message),
                        ]
                    )
                )
            }
        }
        let outcome = await runner.call(
            name: name,
            arguments: request.params["arguments"],
            context: CallContext(progress: progress, log: log)
        )
        return outcome.map(\.json)
    }
}
