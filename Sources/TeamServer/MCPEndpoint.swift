import HTTPServer
import Locking
import MCP
import Members
import Wire

/// MCP over Streamable HTTP at one path, in both eras, in front of the same `MCPServer`
/// (and so the same call pipeline, quotes, limits and results) that stdio serves.
///
/// Every request needs a member's bearer token; a browser `Origin` not on the allowlist is
/// refused before the token is even looked at. Legacy clients (2025-11-25) open a session
/// with `initialize`; modern ones (2026-07-28) send stateless requests whose headers
/// mirror the body. A tool call whose client accepts `text/event-stream` is answered as a
/// stream, so progress and log messages reach it; everything else is one JSON object.
public final class MCPEndpoint: Sendable {
    /// Makes the server a member's session (or stateless requests) talk to.
    public typealias ServerFactory = @Sendable (Member) -> MCPServer

    private let settings: EndpointSettings
    private let members: MemberStore
    private let makeServer: ServerFactory
    private let redact: @Sendable (String) -> String
    private let sessions: TeamSessions
    private let statelessServers = Locked([String: (member: Member, server: MCPServer)]())
    private let limiter: FairInFlightLimiter

    /// Creates the endpoint; `redact` masks secrets in every body it writes.
    public init(
        settings: EndpointSettings,
        members: MemberStore,
        redact: @escaping @Sendable (String) -> String,
        makeServer: @escaping ServerFactory
    ) {
        self.settings = settings
        self.members = members
        self.redact = redact
        self.makeServer = makeServer
        sessions = TeamSessions(maximum: settings.maximumSessions, idleLimit: settings.sessionIdleLimit)
        limiter = FairInFlightLimiter(perKey: settings.callsInFlightPerMember, total: settings.callsInFlight)
    }

    /// Legacy sessions open now.
    public var sessionCount: Int { sessions.count }

    /// The answer to one HTTP request.
    public func respond(to request: HTTPServerRequest) async -> HTTPServerResponse {
        guard request.path == settings.path else {
            return HTTPServerResponse(status: 404, text: "Not found: MCP is served at \(settings.path)\n")
        }
        if let origin = request.headers["Origin"], !settings.allowedOrigins.contains(origin) {
            return Self.error(
                403,
                RPCError(code: -32600, message: "Forbidden: this Origin is not allowed (--allow-origin)")
            )
        }
        guard let member = authenticate(request) else { return Self.unauthorized }
        switch request.method {
        case "POST":
            return await post(request, member: member)
        case "DELETE":
            guard let id = request.headers["Mcp-Session-Id"], sessions.close(id, member: member.name) else {
                return Self.error(404, .invalidRequest("no such session"))
            }
            return HTTPServerResponse(status: 204)
        default:
            // No server-initiated stream: every message this server sends answers a POST.
            return HTTPServerResponse(status: 405, headers: ["Allow": "POST, DELETE"], text: "Method not allowed\n")
        }
    }

    /// The member whose token the request carries; the same nil for a missing header, an
    /// unknown token and a removed member, so a 401 says nothing about which it was.
    private func authenticate(_ request: HTTPServerRequest) -> Member? {
        guard let value = request.headers["Authorization"] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return members.authenticate(bearer: String(parts[1]))
    }

    private func post(_ http: HTTPServerRequest, member: Member) async -> HTTPServerResponse {
        let value: JSONValue
        do {
            value = try JSONParser.parse(http.body)
        } catch {
            return Self.error(400, .parseError(error.description))
        }
        switch IncomingMessage(value) {
        case .request(let request):
            return await answer(request, http: http, member: member)
        case .notification(let method, let params):
            if let id = http.headers["Mcp-Session-Id"], let server = sessions.server(id, member: member.name) {
                if method == "notifications/cancelled", let raw = params["requestId"], let request = RequestID(raw) {
                    sessions.cancel(id, request: request)
                } else {
                    server.handle(notification: method, params: params)
                }
            }
            return HTTPServerResponse(status: 202)
        case .response(let id, let result):
            // The client's answer to the server's own request (`elicitation/create`), sent on
            // a call's stream of the same session; anything else is dropped.
            if let id, let session = http.headers["Mcp-Session-Id"],
                let server = sessions.server(session, member: member.name)
            {
                server.handle(response: id, result: result)
            }
            return HTTPServerResponse(status: 202)
        case .invalid(let id, let error):
            return Self.error(400, error, id: id)
        }
    }

    /// Finds the server for a request (a new session, an existing one, or the member's
    /// stateless server), then runs it.
    private func answer(_ request: RPCRequest, http: HTTPServerRequest, member: Member) async -> HTTPServerResponse {
        let modernVersion = request.params["_meta"]?[ProtocolVersion.metaKey]?.stringValue
        var sessionID: String?
        let server: MCPServer
        if request.method == Initialize.name {
            server = makeServer(member)
            sessionID = sessions.open(member: member.name, server: server)
        } else if let version = modernVersion {
            if let mismatch = ModernHeaders.check(request, version: version, header: { http.headers[$0] }) {
                return Self.error(400, mismatch, id: request.id)
            }
            server = statelessServer(for: member)
        } else if request.method == Discover.name {
            server = statelessServer(for: member)
        } else {
            guard let id = http.headers["Mcp-Session-Id"] else {
                return Self.error(
                    400,
                    .invalidRequest("Mcp-Session-Id is required: send initialize first (or use MCP 2026-07-28)"),
                    id: request.id
                )
            }
            guard let found = sessions.server(id, member: member.name) else {
                return Self.error(404, .invalidRequest("session not found: initialize again"), id: request.id)
            }
            if let sent = http.headers["MCP-Protocol-Version"], !ProtocolVersion.legacy.contains(sent) {
                return Self.error(
                    400,
                    .unsupportedProtocolVersion(requested: sent, supported: ProtocolVersion.supported),
                    id: request.id
                )
            }
            sessionID = id
            server = found
        }
        var headers: HTTPHeaders = [:]
        if request.method == Initialize.name, let sessionID { headers.add("Mcp-Session-Id", sessionID) }
        let call = RunningCall(
            request: request,
            server: server,
            member: member.name,
            session: sessionID,
            sessions: sessions,
            limiter: limiter
        )
        guard server.isQueued(request.method), http.headers.contains(token: "text/event-stream", in: "Accept") else {
            let response = await call.run(notify: { _ in })
            return json(Self.status(of: response, modern: modernVersion != nil), response, headers: headers)
        }
        headers.add("Content-Type", "text/event-stream")
        headers.add("Cache-Control", "no-cache")
        // nginx and other proxies would otherwise hold progress back until the answer.
        headers.add("X-Accel-Buffering", "no")
        let redact = redact
        return .stream(headers: headers) { writer in
            await call.stream(to: writer, redact: redact)
        }
    }

    /// The member's server for stateless requests, made again when their record changed
    /// (new limits or toolsets take effect without a restart).
    private func statelessServer(for member: Member) -> MCPServer {
        if let known = statelessServers.withLock({ $0[member.name] }), known.member == member { return known.server }
        let made = makeServer(member)
        return statelessServers.withLock { servers in
            if let existing = servers[member.name], existing.member == member { return existing.server }
            servers[member.name] = (member, made)
            return made
        }
    }

    /// The HTTP status of a JSON-RPC answer: the transport's 400 for an unsupported
    /// version and, in the modern era, 404 for an unknown method.
    private static func status(of response: JSONValue, modern: Bool) -> Int {
        switch response["error"]?["code"]?.intValue {
        case -32022: 400
        case -32601 where modern: 404
        default: 200
        }
    }

    private func json(_ status: Int, _ body: JSONValue, headers: HTTPHeaders = [:]) -> HTTPServerResponse {
        var headers = headers
        headers.add("Content-Type", "application/json")
        return HTTPServerResponse(status: status, headers: headers, text: redact(body.jsonText))
    }

    private static func error(_ status: Int, _ error: RPCError, id: RequestID? = nil) -> HTTPServerResponse {
        HTTPServerResponse(
            status: status,
            headers: ["Content-Type": "application/json"],
            text: JSONRPC.error(id: id, error).jsonText
        )
    }

    private static let unauthorized: HTTPServerResponse = {
        var response = error(
            401,
            RPCError(code: -32001, message: "Unauthorized: send Authorization: Bearer <your member token>")
        )
        response.headers.add("WWW-Authenticate", "Bearer realm=\"social-data-mcp\"")
        return response
    }()
}
