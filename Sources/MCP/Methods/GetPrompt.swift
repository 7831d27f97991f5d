import Wire

/// `prompts/get`: a prompt's message for these arguments.
public enum GetPrompt: MCPMethod {
    /// The method name.
    public static let name = "prompts/get"

    /// The parameters the server reads.
    struct Parameters {
        let name: String
        let arguments: [String: String]

        init(_ params: [String: JSONValue]) throws(RPCError) {
            guard let name = params["name"]?.stringValue else {
                throw .invalidParams("\"name\" (the prompt name, a string) is required")
            }
            self.name = name
            var arguments: [String: String] = [:]
            switch params["arguments"] {
            case nil, .null?: break
            case .object(let members)?:
                for (key, value) in members {
                    switch value {
                    case .string(let text): arguments[key] = text
                    case .null: continue
                    default: throw .invalidParams("argument '\(key)' must be a string, got \(value.typeName)")
                    }
                }
            case let other?:
                throw .invalidParams("\"arguments\" must be an object of strings, got \(other.typeName)")
            }
            self.arguments = arguments
        }
    }

    /// The prompt's messages; an unknown or hidden prompt and arguments that do not fit
    /// are -32602.
    public static func respond(to request: MCPRequest) async -> Result<JSONValue, RPCError> {
        let parameters: Parameters
        do { parameters = try Parameters(request.params) } catch { return .failure(error) }
        return request.application.getPrompt(name: parameters.name, arguments: parameters.arguments)
    }
}
