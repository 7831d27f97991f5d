import Wire

/// `tools/call`: runs a tool with progress and log notifications for this request.
public enum CallTool: MCPMethod {
    /// The method name.
    public static let name = "tools/call"

    /// The parameters the server reads.
    struct Parameters {
        let name: String
        let arguments: JSONValue?
        let progressToken: JSONValue?
        let inputResponses: [String: JSONValue]
        let requestState: String?

        init(_ params: [String: JSONValue]) throws(RPCError) {
            guard let name = params["name"]?.stringValue else {
                throw .invalidParams("\"name\" (the tool name, a string) is required")
            }
            self.name = name
            arguments = params["arguments"]
            let token = params["_meta"]?["progressToken"]
            progressToken = token.flatMap { RequestID($0) != nil ? $0 : nil }
            if let responses = params["inputResponses"], responses.objectValue == nil {
                throw .invalidParams("\"inputResponses\" must be an object, got \(responses.typeName)")
            }
            inputResponses = params["inputResponses"]?.objectValue ?? [:]
            if let state = params["requestState"], state.stringValue == nil {
                throw .invalidParams("\"requestState\" must be a string, got \(state.typeName)")
            }
            requestState = params["requestState"]?.stringValue
        }
    }

    /// The tool's result; log lines go to stderr always and to the client at its level.
    public static func respond(to request: MCPRequest) async -> Result<JSONValue, RPCError> {
        let parameters: Parameters
        do { parameters = try Parameters(request.params) } catch { return .failure(error) }
        let notify = request.notify
        let diagnostics = request.diagnostics
        let logLevel = request.logLevel
        let progress = parameters.progressToken.map { ProgressReporter(token: $0, send: notify) }
        let log = CallLog { level, message in
            diagnostics("\(level.rawValue): \(message)")
            guard let logLevel, level >= logLevel else { return }
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
        return await request.application.callTool(
            name: parameters.name,
            arguments: parameters.arguments,
            context: CallContext(progress: progress, log: log, asking: asking(request, parameters))
        )
    }

    /// How this call may ask the user: by request in a legacy session that declared form
    /// elicitation, by `input_required` on a modern request whose capabilities declare it.
    static func asking(_ request: MCPRequest, _ parameters: Parameters) -> UserAsking? {
        switch request.era {
        case .legacy:
            guard request.session.withLock({ $0.legacyCanElicit }) else { return nil }
            let outgoing = request.outgoing
            let send = request.notify
            return .request { params in
                await outgoing.request(Elicitation.method, params: params, timeout: Elicitation.timeout, send: send)
            }
        case .modern:
            let capabilities = request.params["_meta"]?[ProtocolVersion.capabilitiesKey]
            guard Elicitation.supportsForm(capabilities) else { return nil }
            return .retry(responses: parameters.inputResponses, requestState: parameters.requestState)
        }
    }
}
