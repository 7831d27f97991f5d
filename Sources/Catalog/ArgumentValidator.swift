import Foundation
import Wire

/// A call's arguments do not fit the tool: the model can read this and retry, and
/// nothing was sent upstream or spent.
public struct ArgumentError: Error, Sendable, Equatable {
    /// The argument at fault, when there is one.
    public let argument: String?
    /// What is wrong and what is allowed.
    public let message: String
}

/// Checks arguments against a row before anything is sent.
public enum ArgumentValidator {
    /// Returns the arguments the call will use: known names only, types checked, integers
    /// normalised, an optional argument's empty value treated as absent, and environment
    /// fallbacks filled in.
    ///
    /// Strict converters (OpenAI strict mode, the Agents SDK, LangChain's `strict=True`)
    /// make every property required, so a model sends `null`, `""` or `[]` for what it
    /// would have left out. Those mean "not given" for every argument the schema does not
    /// require, so such a call keeps its meaning and needs no secret (`cookie: ""` uses the
    /// server's cookie); a required argument still may not be empty.
    public static func validate(
        _ arguments: [String: JSONValue],
        for tool: ToolDefinition,
        environment: Environment
    ) throws(ArgumentError) -> [String: JSONValue] {
        let parameters = tool.parameters
        let required = Set(InputSchema.requiredNames(of: tool))
        var given = arguments.filter { name, value in
            if value.isNull { return false }
            guard !required.contains(name), let parameter = parameters.first(where: { $0.name == name }) else {
                return true
            }
            return !isEmpty(value, as: parameter.kind)
        }
        for name in given.keys.sorted() where !parameters.contains(where: { $0.name == name }) {
            let known = parameters.map(\.name).joined(separator: ", ")
            throw ArgumentError(
                argument: name,
                message: "Unknown argument '\(name)'. \(tool.name) takes: \(known)."
            )
        }
        var validated: [String: JSONValue] = [:]
        for parameter in parameters {
            guard let value = given.removeValue(forKey: parameter.name) else { continue }
            do {
                validated[parameter.name] = try check(value, as: parameter.kind, path: parameter.name)
            } catch  where parameter.isSecret {
                // The message would quote the value; a secret is never echoed.
                throw ArgumentError(
                    argument: parameter.name,
                    message:
                        "'\(parameter.name)' must be \(SchemaText.typePhrase(parameter.kind)) (value not shown: it is a secret)."
                )
            }
        }
        for parameter in parameters {
            let inScope = parameter.scope?.holds(for: validated) ?? true
            if validated[parameter.name] != nil {
                if !inScope, let scope = parameter.scope {
                    throw ArgumentError(
                        argument: parameter.name,
                        message: "'\(parameter.name)' applies only when \(scope.phrase); remove it or change "
                            + "'\(scope.parameter)'."
                    )
                }
                continue
            }
            if let variable = parameter.fallbackEnvironment, let value = environment[variable], !value.isEmpty {
                validated[parameter.name] = .string(value)
                continue
            }
            guard parameter.isRequired, inScope else { continue }
            throw missing(parameter)
        }
        for constraint in tool.constraints {
            try check(constraint, validated, tool: tool)
        }
        return validated
    }

    /// Whether `value` is the empty value of its kind: `""` for a string or an enum, `[]`
    /// for a list (what a strict-mode model sends for an optional argument it would omit).
    static func isEmpty(_ value: JSONValue, as kind: Parameter.Kind) -> Bool {
        switch (kind, value) {
        case (.string, .string(let text)), (.choice, .string(let text)), (.integerChoice, .string(let text)):
            return text.isEmpty
        case (.array, .array(let elements)):
            return elements.isEmpty
        default:
            return false
        }
    }

    private static func missing(_ parameter: Parameter) -> ArgumentError {
        var message = "Missing required argument '\(parameter.name)' (\(SchemaText.typePhrase(parameter.kind)))"
        if let scope = parameter.scope { message += " when \(scope.phrase)" }
        message += ": \(parameter.description)"
        if let variable = parameter.fallbackEnvironment {
            message += " Pass it as '\(parameter.name)' or set \(variable) in the server's environment"
            message += parameter.isSecret ? " (better: it keeps the secret out of the conversation)." : "."
        }
        return ArgumentError(argument: parameter.name, message: message)
    }

    private static func check(
        _ value: JSONValue,
        as kind: Parameter.Kind,
        path: String
    ) throws(ArgumentError) -> JSONValue {
        func wrongType() -> ArgumentError {
            ArgumentError(
                argument: path,
                message: "'\(path)' must be \(SchemaText.typePhrase(kind)); got \(value.typeName) \(preview(value))."
            )
        }
        switch kind {
        case .string(let format, let maxLength):
            guard case .string(let text) = value else { throw wrongType() }
            guard !text.isEmpty else { throw ArgumentError(argument: path, message: "'\(path)' must not be empty.") }
            let length = text.unicodeScalars.count
            guard length <= maxLength else {
                throw ArgumentError(
                    argument: path,
                    message: "'\(path)' is \(length) characters long; at most \(maxLength) are accepted."
                )
            }
            if let format { try check(text, format: format, path: path) }
            return value
        case .choice(let allowed):
            guard case .string(let text) = value else { throw wrongType() }
            guard allowed.contains(text) else {
                throw ArgumentError(
                    argument: path,
                    message: "'\(path)' must be one of \(allowed.joined(separator: ", ")); got \(preview(value))."
                )
            }
            return value
        case .integer(let bounds):
            guard let number = value.intValue else { throw wrongType() }
            if let bounds, !bounds.contains(number) {
                throw ArgumentError(
                    argument: path,
                    message: "'\(path)' must be between \(bounds.lowerBound) and \(bounds.upperBound); got \(number)."
                )
            }
            return .int(number)
        case .integerChoice(let allowed):
            // The schema shows the codes as strings; an integer is taken too.
            guard let number = value.intValue ?? value.stringValue.flatMap({ Int($0) }) else { throw wrongType() }
            guard allowed.contains(number) else {
                throw ArgumentError(
                    argument: path,
                    message:
                        "'\(path)' must be one of \(allowed.map(String.init).joined(separator: ", ")); got \(number)."
                )
            }
            return .int(number)
        case .boolean:
            guard case .bool = value else { throw wrongType() }
            return value
        case .array(let element, let count, _):
            guard case .array(let elements) = value else { throw wrongType() }
            guard count.contains(elements.count) else {
                throw ArgumentError(
                    argument: path,
                    message:
                        "'\(path)' must have \(count.lowerBound) to \(count.upperBound) elements; got \(elements.count)."
                )
            }
            var checked: [JSONValue] = []
            checked.reserveCapacity(elements.count)
            for (position, item) in elements.enumerated() {
                checked.append(try check(item, as: element, path: "\(path)[\(position)]"))
            }
            return .array(checked)
        case .object:
            guard case .object = value else { throw wrongType() }
            return value
        }
    }

    private static func check(_ text: String, format: StringFormat, path: String) throws(ArgumentError) {
        switch format {
        case .date(let layout):
            guard CalendarDay(text, layout: layout) != nil else {
                throw ArgumentError(
                    argument: path,
                    message: "'\(path)' must be a real date written \(layout.pattern); got \"\(text)\"."
                )
            }
        case .httpsURL:
            guard let url = URL(string: text), url.scheme?.lowercased() == "https", let host = url.host, !host.isEmpty
            else {
                throw ArgumentError(
                    argument: path,
                    message:
                        "'\(path)' must be an absolute https:// URL (the provider only calls https endpoints); got \"\(text)\"."
                )
            }
        case .imageSize:
            let parts = text.split(separator: "x", omittingEmptySubsequences: false)
            let isDimensions =
                parts.count == 2 && parts.allSatisfy { (2...5).contains($0.count) && $0.allSatisfy(\.isASCIIDigit) }
            guard text == "auto" || isDimensions else {
                throw ArgumentError(
                    argument: path,
                    message:
                        "'\(path)' must be \"auto\" or WIDTHxHEIGHT such as 1024x1024, 1536x1024, 1024x1536, 2048x2048; got \"\(text)\"."
                )
            }
        case .routePath(let prefixes):
            guard isRoutePath(text, under: prefixes) else {
                throw ArgumentError(
                    argument: path,
                    message:
                        "'\(path)' must be a route path under \(prefixes.joined(separator: " or ")) made of letters, "
                        + "digits, '_', '-' and '/', with no scheme, host, '..', query or fragment; got \"\(text)\"."
                )
            }
        }
    }

    /// Only letters, digits, `_`, `-` and single `/` after a known prefix: no `..`, `%`,
    /// `?`, `#`, `:` or `//`, so the path can neither leave the API nor smuggle a query.
    static func isRoutePath(_ text: String, under prefixes: [String]) -> Bool {
        guard let prefix = prefixes.first(where: { text.hasPrefix($0) }), text.count > prefix.count,
            !text.contains("//")
        else { return false }
        return text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "/"):
                return true
            default:
                return false
            }
        }
    }

    private static func check(
        _ constraint: Constraint,
        _ arguments: [String: JSONValue],
        tool: ToolDefinition
    ) throws(ArgumentError) {
        switch constraint {
        case .together(let names):
            let present = names.filter { arguments[$0] != nil }
            if !present.isEmpty, present.count != names.count {
                let absent = names.filter { arguments[$0] == nil }
                throw ArgumentError(
                    argument: absent.first,
                    message:
                        "\(names.map { "'\($0)'" }.joined(separator: " and ")) go together: pass all of them or none "
                        + "(missing \(absent.joined(separator: ", ")))."
                )
            }
        case .exclusive(let first, let second):
            let firstPresent = first.filter { arguments[$0] != nil }
            let secondPresent = second.filter { arguments[$0] != nil }
            if let clash = firstPresent.first, !secondPresent.isEmpty {
                throw ArgumentError(
                    argument: clash,
                    message: "Use either \(first.joined(separator: "/")) or \(second.joined(separator: "/")), not both."
                )
            }
        case .dateSpan(let fromName, let toName, let maxDays):
            guard let fromText = arguments[fromName]?.stringValue, let toText = arguments[toName]?.stringValue,
                case .string(.date(let layout)?, _)? = tool.parameter(named: fromName)?.kind,
                let from = CalendarDay(fromText, layout: layout), let to = CalendarDay(toText, layout: layout)
            else { return }
            if from > to {
                throw ArgumentError(
                    argument: fromName,
                    message: "'\(fromName)' (\(fromText)) is after '\(toName)' (\(toText))."
                )
            }
            let days = to.ordinal - from.ordinal + 1
            if let maxDays, days > maxDays {
                throw ArgumentError(
                    argument: toName,
                    message:
                        "\(fromText) to \(toText) covers \(days) days; the provider serves at most \(maxDays) days "
                        + "per call (both ends included). Narrow the range or split it into several calls."
                )
            }
        case .ascending(let low, let high):
            guard let lowValue = arguments[low]?.intValue, let highValue = arguments[high]?.intValue else { return }
            if lowValue >= highValue {
                throw ArgumentError(
                    argument: low,
                    message: "'\(low)' (\(lowValue)) must be less than '\(high)' (\(highValue))."
                )
            }
        }
    }

    private static func preview(_ value: JSONValue) -> String {
        let text = value.jsonText
        return text.count > 60 ? String(text.prefix(57)) + "..." : text
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
