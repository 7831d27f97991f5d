import Wire

/// Generates a tool's MCP `inputSchema` (JSON Schema 2020-12) from its row.
public enum InputSchema {
    /// The schema: an object with one property per argument, and `required` when some
    /// argument is.
    ///
    /// It leaves out `additionalProperties: false`: the validator refuses an unknown argument
    /// anyway, naming the ones the tool takes, and strict converters close an object that
    /// declares properties themselves. It must: google-genai's MCP conversion
    /// (`mcp_to_gemini_tool`) crashes on a boolean `additionalProperties`, which fails every
    /// Gemini request while the tool is listed. (So a tool without arguments stays
    /// non-strict in the Agents SDK, which will not close `"properties": {}` itself.)
    public static func schema(for tool: ToolDefinition) -> JSONValue {
        let required = requiredNames(of: tool)
        var properties: [String: JSONValue] = [:]
        for parameter in tool.parameters {
            properties[parameter.name] = property(parameter, optional: !required.contains(parameter.name))
        }
        var schema: [String: JSONValue] = [
            "type": "object",
            "properties": .object(properties),
        ]
        if !required.isEmpty { schema["required"] = .array(required.map { .string($0) }) }
        return .object(schema)
    }

    /// Arguments every call must carry (conditionally required and environment-backed ones
    /// are described instead, since a plain `required` list cannot say "only when").
    public static func requiredNames(of tool: ToolDefinition) -> [String] {
        tool.parameters.filter { $0.isRequired && $0.scope == nil && $0.fallbackEnvironment == nil }.map(\.name)
    }

    /// One property's schema.
    ///
    /// An optional enum also lists `""`, and an optional list has no `minItems`: a strict
    /// converter forces every property, and a schema without an empty value would force a
    /// choice the call did not mean (the validator reads `""` and `[]` as "not given").
    static func property(_ parameter: Parameter, optional: Bool) -> JSONValue {
        var schema = typeSchema(parameter.kind)
        if optional, let values = schema["enum"]?.arrayValue { schema["enum"] = .array([""] + values) }
        if optional { schema["minItems"] = nil }
        let description = SchemaText.describe(parameter)
        if !description.isEmpty { schema["description"] = .string(description) }
        // A switch that is off unless set needs no `default`; any other default is shown,
        // as the schema writes the type (an integer code as its string).
        if let defaultValue = parameter.defaultValue, defaultValue != false {
            if case .integerChoice = parameter.kind, let number = defaultValue.intValue {
                schema["default"] = .string(String(number))
            } else {
                schema["default"] = defaultValue
            }
        }
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
            // `Int.max` is no limit a model could meet, and the lower bound of such a count,
            // page, age or cursor (0 or 1) goes without saying: the validator still holds
            // it, and says so. Only a real range is worth its bytes on every tool.
            if let bounds, bounds.upperBound != Int.max {
                schema["minimum"] = .int(bounds.lowerBound)
                schema["maximum"] = .int(bounds.upperBound)
            }
            return schema
        case .integerChoice(let values):
            return ["type": "string", "enum": .array(values.map { .string(String($0)) })]
        case .boolean:
            return ["type": "boolean"]
        case .array(let element, let count, _):
            var schema: [String: JSONValue] = ["type": "array", "items": .object(typeSchema(element))]
            // An optional list may be sent empty (= not given), which `property` allows by
            // dropping `minItems`; `Int.max` is no limit a model could meet.
            if count.lowerBound > 0 { schema["minItems"] = .int(count.lowerBound) }
            if count.upperBound != Int.max { schema["maxItems"] = .int(count.upperBound) }
            return schema
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
        case .integerChoice(let values): return "one of \(values.map(String.init).joined(separator: ", "))"
        case .boolean: return "a boolean"
        case .array(let element, let count, _):
            return "a list of \(count.lowerBound) to \(count.upperBound) × \(typePhrase(element))"
        case .object: return "a JSON object"
        }
    }

    /// The longest enum (its values joined by `|`) that a description also names: some
    /// converters drop every enum (mcp-use's LangChain path), and a short list of values in
    /// the words is cheap; a long one is left to the tool's description.
    public static let namedEnumLength = 48

    /// The values of an enum short enough to be named in the description, or `nil`.
    public static func shortEnum(_ kind: Parameter.Kind) -> [String]? {
        let values: [String]
        switch kind {
        case .choice(let choices): values = choices
        case .integerChoice(let codes): values = codes.map(String.init)
        case .array(let element, _, _): return shortEnum(element)
        default: return nil
        }
        return values.joined(separator: "|").count <= namedEnumLength ? values : nil
    }

    /// A parameter's description with its conditions spelled out, and its values when it
    /// is a short enum that the words do not already name.
    public static func describe(_ parameter: Parameter) -> String {
        var clauses = parameter.description.isEmpty ? [] : [parameter.description]
        if let values = shortEnum(parameter.kind), !values.allSatisfy({ parameter.description.contains($0) }) {
            clauses.append(values.joined(separator: "|") + ".")
        }
        if let scope = parameter.scope {
            let values = scope.values.joined(separator: "/")
            clauses.append(
                parameter.isRequired
                    ? "Required if \(scope.parameter)=\(values)." : "Only if \(scope.parameter)=\(values)."
            )
        }
        if let variable = parameter.fallbackEnvironment {
            // Why the variable is preferred for a secret is said once, in the instructions;
            // that "" means "use it" lets a strict converter's forced property stay secret-free.
            clauses.append("\"\" = use \(variable).")
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
