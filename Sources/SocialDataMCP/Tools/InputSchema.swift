/// Generates a tool's MCP `inputSchema` (JSON Schema 2020-12) from its row.
public enum InputSchema {
    /// The schema: an object with one property per argument, `additionalProperties: false`.
    public static func schema(for tool: ToolDefinition) -> JSONValue {
        var properties: [String: JSONValue] = [:]
        for parameter in tool.parameters {
            properties[parameter.name] = property(parameter)
        }
        return [
            "type": "object",
            "properties": .object(properties),
            "required": .array(requiredNames(of: tool).map { .string($0) }),
            "additionalProperties": false,
        ]
    }

    /// Arguments every call must carry (conditionally required and environment-backed ones
    /// are described instead, since a plain `required` list cannot say "only when").
    public static func requiredNames(of tool: ToolDefinition) -> [String] {
        tool.parameters.filter { $0.isRequired && $0.scope == nil && $0.fallbackEnvironment == nil }.map(\.name)
    }

    /// One property's schema.
    static func property(_ parameter: Parameter) -> JSONValue {
        var schema = typeSchema(parameter.kind)
        schema["description"] = .string(SchemaText.describe(parameter))
        if let defaultValue = parameter.defaultValue { schema["default"] = defaultValue }
        return .object(schema)
    }

    static func typeSchema(_ kind: Parameter.Kind) -> [String: JSONValue] {
        switch kind {
        case .string(let format, let maxLength):
            var schema: [String: JSONValue] = ["type": "string", "minLength": 1, "maxLength": .int(maxLength)]
            switch format {
            case .date(.dashed)?:
                schema["format"] = "date"
                schema["pattern"] = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
            case .date(.compact)?:
                schema["pattern"] = "^[0-9]{8}$"
            case .httpsURL?:
                schema["format"] = "uri"
                schema["pattern"] = "^https://"
            case .imageSize?:
                schema["pattern"] = "^(auto|[0-9]{2,5}x[0-9]{2,5})$"
            case .routePath(let prefixes)?:
                schema["pattern"] = .string("^(\(prefixes.joined(separator: "|")))[A-Za-z0-9_/-]+$")
            case nil:
                break
            }
            return schema
        case .choice(let values):
            return ["type": "string", "enum": .array(values.map { .string($0) })]
        case .integer(let bounds):
            var schema: [String: JSONValue] = ["type": "integer"]
            if let bounds {
                schema["minimum"] = .int(bounds.lowerBound)
                schema["maximum"] = .int(bounds.upperBound)
            }
            return schema
        case .integerChoice(let values):
            return ["type": "integer", "enum": .array(values.map { .int($0) })]
        case .boolean:
            return ["type": "boolean"]
        case .array(let element, let count, _):
            return [
                "type": "array",
                "items": .object(typeSchema(element)),
                "minItems": .int(count.lowerBound),
                "maxItems": .int(count.upperBound),
            ]
        case .object:
            return ["type": "object"]
        }
    }
}

/// The words the schema, the validator and the exports use for types and rules, so an
/// error message and the description the model read say the same thing.
public enum SchemaText {
    /// "a string", "an integer from 1 to 100", "one of a, b", "a list of 1 to 50 strings".
    public static func typePhrase(_ kind: Parameter.Kind) -> String {
        switch kind {
        case .string(.date(let layout)?, _): return "a date written \(layout.pattern)"
        case .string(.httpsURL?, _): return "an https:// URL"
        case .string: return "a non-empty string"
        case .choice(let values): return "one of \(values.joined(separator: ", "))"
        case .integer(let bounds?): return "an integer from \(bounds.lowerBound) to \(bounds.upperBound)"
        case .integer(nil): return "an integer"
        case .integerChoice(let values): return "one of the integers \(values.map(String.init).joined(separator: ", "))"
        case .boolean: return "a boolean"
        case .array(let element, let count, _):
            return "a list of \(count.lowerBound) to \(count.upperBound) × \(typePhrase(element))"
        case .object: return "a JSON object"
        }
    }

    /// A parameter's description with its conditions spelled out.
    public static func describe(_ parameter: Parameter) -> String {
        var text = parameter.description
        if let scope = parameter.scope {
            text += parameter.isRequired ? " Required when \(scope.phrase)." : " Only when \(scope.phrase)."
        }
        if let variable = parameter.fallbackEnvironment {
            text += " Optional when \(variable) is set in the server's environment (preferred"
            text += parameter.isSecret ? ": it keeps the secret out of the conversation)." : ")."
        }
        return text
    }

    /// The cross-argument rules in one sentence, or `nil` when there are none.
    public static func rules(_ constraints: [Constraint]) -> String? {
        let phrases = constraints.map { constraint -> String in
            switch constraint {
            case .together(let names):
                return "\(names.joined(separator: " and ")) go together"
            case .exclusive(let first, let second):
                return "use \(first.joined(separator: "/")) or \(second.joined(separator: "/")), not both"
            case .dateSpan(let from, let to, let maxDays?):
                return "\(from) ≤ \(to), at most \(maxDays) days apart counting both ends"
            case .dateSpan(let from, let to, nil):
                return "\(from) ≤ \(to)"
            case .ascending(let low, let high):
                return "\(low) < \(high)"
            }
        }
        guard !phrases.isEmpty else { return nil }
        return "Rules: " + phrases.joined(separator: "; ") + "."
    }
}
