import Wire

extension PromptDefinition {
    /// The MCP `Prompt` object of `prompts/list`.
    public var mcpJSON: JSONValue {
        [
            "name": .string(name),
            "title": .string(title),
            "description": .string(description),
            "arguments": .array(
                arguments.map { argument in
                    [
                        "name": .string(argument.name),
                        "title": .string(argument.title),
                        "description": .string(argument.description),
                        "required": .bool(argument.isRequired),
                    ]
                }
            ),
        ]
    }

    /// The `prompts/get` result: the prompt's text as one user message.
    public func getResult(_ text: String) -> JSONValue {
        [
            "description": .string(description),
            "messages": [["role": "user", "content": ["type": "text", "text": .string(text)]]],
        ]
    }
}
