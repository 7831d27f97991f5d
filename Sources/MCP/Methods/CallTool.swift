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

        init(_ params: [String: JSONValue]) throws(RPCError) {
            guard let name = params["name"]?.stringValue else {
                throw .invalidParams("\"name\" (the tool name, a string) is required")
            }
            self.name = name
            arguments = params["arguments"]
            let token = params["_meta"]?["progressToken"]
            progressToken = token.flatMap { RequestID($0) != nil ? $0 : nil }
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
            context: CallContext(progress: progress, log: log)
        )
    }
}
