import Wire

/// `initialize`: opens a legacy session and negotiates its version.
public enum Initialize: MCPMethod {
    /// The method name.
    public static let name = "initialize"

    /// The parameters the server reads.
    struct Parameters {
        let protocolVersion: String
        let canElicit: Bool

        init(_ params: [String: JSONValue]) throws(RPCError) {
            guard let requested = params["protocolVersion"]?.stringValue else {
                throw .invalidParams("\"protocolVersion\" (a string such as \"2025-11-25\") is required")
            }
            for member in ["capabilities", "clientInfo"] {
                if let value = params[member], value.objectValue == nil {
                    throw .invalidParams("\"\(member)\" must be an object, got \(value.typeName)")
                }
            }
            protocolVersion = requested
            canElicit = Elicitation.supportsForm(params["capabilities"])
        }
    }

    /// Negotiates, remembers the version for the session, and describes the server.
    public static func respond(to request: MCPRequest) async -> Result<JSONValue, RPCError> {
        let parameters: Parameters
        do { parameters = try Parameters(request.params) } catch { return .failure(error) }
        let version = ProtocolVersion.negotiate(parameters.protocolVersion)
        request.session.withLock { session in
            session.legacyVersion = version
            session.legacyCanElicit = parameters.canElicit
        }
        return .success([
            "protocolVersion": .string(version),
            "capabilities": request.capabilities,
            "serverInfo": ServerIdentity.implementation,
            "instructions": .string(request.application.instructions),
        ])
    }
}
