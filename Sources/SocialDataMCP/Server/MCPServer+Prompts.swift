import Foundation

extension MCPServer {
    /// The prompts whose tools this process exposes, in table order.
    public var exposedPrompts: [PromptDefinition] {
        let exposed = Set(services.catalog.entries.map(\.tool.name))
        return PromptTable.prompts.filter { $0.isAvailable(exposing: exposed) }
    }

    /// `prompts/list`: every exposed prompt on one page (there are a handful).
    func listPrompts(_ params: [String: JSONValue], isModern: Bool) -> Result<JSONValue, RPCError> {
        switch params["cursor"] {
        case nil, .null?: break
        case .string(let cursor)?:
            return .failure(.invalidParams("unknown cursor \"\(cursor)\"; prompts/list has one page"))
        case let other?:
            return .failure(.invalidParams("\"cursor\" must be a string, got \(other.typeName)"))
        }
        var result: [String: JSONValue] = ["prompts": .array(exposedPrompts.map(\.mcpJSON))]
        if isModern {
            // The prompt set is fixed for the life of the process and follows its configuration.
            result["ttlMs"] = .int(3_600_000)
            result["cacheScope"] = "private"
        }
        return .success(.object(result))
    }

    /// `prompts/get`: the prompt's message for these arguments; an unknown or hidden prompt
    /// and arguments that do not fit are -32602.
    func getPrompt(_ params: [String: JSONValue]) -> Result<JSONValue, RPCError> {
        guard let name = params["name"]?.stringValue else {
            return .failure(.invalidParams("\"name\" (the prompt name, a string) is required"))
        }
        let available = exposedPrompts
        guard let prompt = available.first(where: { $0.name == name }) else {
            if PromptTable.prompt(named: name) != nil {
                return .failure(
                    .invalidParams(
                        "prompt \(name) is hidden: a tool it uses is not exposed by this server's configuration"
                    )
                )
            }
            let known = available.map(\.name).joined(separator: ", ")
            return .failure(.invalidParams("unknown prompt \"\(name)\"; the prompts are: \(known)"))
        }
        var arguments: [String: String] = [:]
        switch params["arguments"] {
        case nil, .null?: break
        case .object(let members)?:
            for (key, value) in members {
                switch value {
                case .string(let text): arguments[key] = text
                case .null: continue
                default:
                    return .failure(.invalidParams("argument '\(key)' must be a string, got \(value.typeName)"))
                }
            }
        case let other?:
            return .failure(.invalidParams("\"arguments\" must be an object of strings, got \(other.typeName)"))
        }
        let context = PromptDefinition.Context(
            now: Date(),
            exposedTools: Set(services.catalog.entries.map(\.tool.name))
        )
        do {
            return .success(prompt.getResult(try prompt.text(for: arguments, context: context)))
        } catch {
            return .failure(.invalidParams(error.message))
        }
    }
}
