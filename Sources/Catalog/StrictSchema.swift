import Wire

/// OpenAI strict-mode schemas: every property required, optional ones nullable,
/// `additionalProperties: false`, and the keywords strict mode rejects moved into the
/// description so the model still reads the rule (the server still enforces it, and
/// treats `null` as "not given").
public enum StrictSchema {
    /// Keywords OpenAI strict mode does not accept.
    public static let movedKeywords = [
        "minLength", "maxLength", "pattern", "format", "minimum", "maximum", "minItems", "maxItems", "uniqueItems",
        "default",
    ]

    /// The strict schema of a tool.
    public static func schema(for tool: ToolDefinition) -> JSONValue {
        let required = Set(InputSchema.requiredNames(of: tool))
        var properties: [String: JSONValue] = [:]
        for parameter in tool.parameters {
            let optional = !required.contains(parameter.name)
            var property = strict(InputSchema.property(parameter, optional: optional).objectValue ?? [:])
            if optional { property = nullable(property) }
            properties[parameter.name] = .object(property)
        }
        return [
            "type": "object",
            "properties": .object(properties),
            "required": .array(tool.parameters.map { .string($0.name) }),
            "additionalProperties": false,
        ]
    }

    private static func strict(_ schema: [String: JSONValue]) -> [String: JSONValue] {
        var schema = schema
        var rules: [String] = []
        for keyword in movedKeywords {
            guard let value = schema.removeValue(forKey: keyword) else { continue }
            rules.append("\(keyword) \(value.jsonText)")
        }
        if let items = schema["items"]?.objectValue {
            var strictItems = strict(items)
            if let itemRules = strictItems.removeValue(forKey: "description")?.stringValue {
                rules.append("each item: \(itemRules)")
            }
            schema["items"] = .object(strictItems)
        }
        if !rules.isEmpty {
            let description = schema["description"]?.stringValue.map { $0 + " " } ?? ""
            schema["description"] = .string(description + "(" + rules.joined(separator: "; ") + ")")
        }
        return schema
    }

    private static func nullable(_ schema: [String: JSONValue]) -> [String: JSONValue] {
        var schema = schema
        if let type = schema["type"]?.stringValue { schema["type"] = [.string(type), "null"] }
        if let values = schema["enum"]?.arrayValue { schema["enum"] = .array(values + [.null]) }
        return schema
    }
}
