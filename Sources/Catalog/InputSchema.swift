import Wire

/// Generates a tool's MCP `inputSchema` (JSON Schema 2020-12) from its row.
public enum InputSchema {
    /// The schema: an object with one property per argument, and `required` when some
    /// argument is.
    ///
    /// It leaves out `additionalProperties: false`: the validator refuses an unknown argument
    /// anyway, naming the ones the tool takes, and those 29 bytes on every tool in every
    /// conversation tell a model nothing it can act on.
    public static func schema(for tool: ToolDefinition) -> JSONValue {
        var properties: [String: JSONValue] = [:]
        for parameter in tool.parameters {
            properties[parameter.name] = property(parameter)
        }
        var schema: [String: JSONValue] = [
            "type": "object",
            "properties": .object(properties),
        ]
        let required = requiredNames(of: tool)
        if !required.isEmpty { schema["required"] = .array(required.map { .string($0) }) }
        return .object(schema)
    }

    /// Arguments every call must carry (conditionally required and environment-backed ones
    /// are described instead, since a plain `required` list cannot say "only when").
    public static func requiredNames(of tool: ToolDefinition) -> [String] {
        tool.parameters.filter { $0.isRequired && $0.scope == nil && $0.fallbackEnvironment == nil }.map(\.name)
    }

    /// One property's schema.
    static func property(_ parameter: Parameter) -> JSONValue {
        var schema = typeSchema(parameter.kind)
        let description = SchemaText.describe(parameter)
        // A name, type and bounds that say it all (`page`, `format`) need no words.
        if !description.isEmpty { schema["description"] = .string(description) }
        // A switch that is off unless set needs no `default`; any other default is shown.
        if let defaultValue = parameter.defaultValue, defaultValue != false { schema["default"] = defaultValue }
        return .object(schema)
    }

    static func typeSchema(_ kind: Parameter.Kind) -> [String: JSONValue] {
        switch kind {
        case .string(let format, _):
            // The length bounds only stop empty and runaway arguments (the validator says so
            // when it refuses one); no model needs to read them on every string of every tool.
            var schema: [String: JSONValue] = ["type": "string"]
            switch format {
            case .date(.dashed)?:
                // JSON Schema's `date` is exactly YYYY-MM-DD; no pattern needs repeating it.
                schema["format"] = "date"
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
                // `Int.max` is no limit a model could meet.
                if bounds.upperBound != Int.max { schema["maximum"] = .int(bounds.upperBound) }
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
        var clauses = parameter.description.isEmpty ? [] : [parameter.description]
        if let scope = parameter.scope {
            let values = scope.values.joined(separator: "/")
            clauses.append(
                parameter.isRequired
                    ? "Required if \(scope.parameter)=\(values)." : "Only if \(scope.parameter)=\(values)."
            )
        }
        if let variable = parameter.fallbackEnvironment {
            // Why the variable is preferred for a secret is said once, in the instructions.
            clauses.append("Omit if the server has \(variable).")
        }
        return clauses.joined(separator: " ")
    }

    /// The cross-argument rules in one sentence, or `nil` when there are none.
    public static func rules(_ constraints: [Constraint]) -> String? {
        let phrases = constraints.map { constraint -> String in
            switch constraint {
            case .together(let names):
                return "\(names.joined(separator: "+")) together"
            case .exclusive(let first, let second):
                return "\(first.joined(separator: "+")) or \(second.joined(separator: "+")), not both"
            case .dateSpan(let from, let to, let maxDays?):
                return "\(from) ≤ \(to), ≤ \(maxDays) days inclusive"
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
