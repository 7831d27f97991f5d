import Catalog
import Foundation
import Wire

/// Turns a row, its validated arguments and the environment into an HTTP request.
public enum RequestBuilder {
    /// Builds the request for `endpoint`, or says which setting is missing.
    public static func build(
        _ endpoint: Endpoint,
        tool: ToolDefinition,
        provider: Provider,
        arguments: [String: JSONValue],
        environment: Environment
    ) throws(UpstreamError) -> HTTPRequest {
        let variable = provider.baseURL?.variable ?? "\(provider.id.uppercased())_BASE_URL"
        guard let base = provider.resolvedBaseURL(environment) else {
            throw UpstreamError(
                .missingConfiguration(variable: variable),
                provider: provider.name,
                advice: "\(provider.name) documents no public host: set \(variable) to your API base URL "
                    + "(for example https://HOST/openapi/v1) in the server's environment and restart it."
            )
        }
        var headers = ["Accept": "application/json", "User-Agent": "social-data-mcp/\(ServerIdentity.version)"]
        switch tool.authentication {
        case .required:
            try authenticate(&headers, provider: provider, environment: environment)
        case .optional:
            try? authenticate(&headers, provider: provider, environment: environment)
        case .none:
            break
        }
        var path = expand(endpoint.path, tool: tool, arguments: arguments)
        let query = queryItems(tool: tool, arguments: arguments)
        if !query.isEmpty {
            path +=
                "?"
                + query.map { "\(percentEncoded($0.name))=\(percentEncoded($0.value, keepingCommas: true))" }
                .joined(separator: "&")
        }
        guard let url = URL(string: base + path) else {
            throw UpstreamError(
                .missingConfiguration(variable: variable),
                provider: provider.name,
                advice: "\(variable) is not a valid URL: \(base)."
            )
        }
        // Before any key leaves: plain http only to this machine, unless allowed.
        try BaseURLPolicy.check(url, variable: variable, provider: provider, environment: environment)
        var body: [UInt8]?
        if endpoint.method == .post {
            headers["Content-Type"] = "application/json"
            body = JSONValue.object(bodyMembers(tool: tool, arguments: arguments)).jsonBytes
        }
        return HTTPRequest(
            method: endpoint.method,
            url: url,
            headers: headers,
            body: body,
            maximumResponseBytes: UpstreamSettings.maximumResponseBytes(environment)
                ?? HTTPRequest.defaultMaximumResponseBytes
        )
    }

    /// Adds the provider's credential and environment headers.
    package static func authenticate(
        _ headers: inout [String: String],
        provider: Provider,
        environment: Environment
    ) throws(UpstreamError) {
        if let credential = provider.credential {
            guard let key = environment[credential.variable] else {
                throw UpstreamError(.missingConfiguration(variable: credential.variable), provider: provider.name)
            }
            headers[credential.header] = credential.prefix + key
        }
        for rule in provider.environmentHeaders {
            if let value = environment[rule.variable] {
                headers[rule.header] = value
            } else if rule.isRequired {
                throw UpstreamError(
                    .missingConfiguration(variable: rule.variable),
                    provider: provider.name,
                    advice: "Set \(rule.variable) (\(rule.meaning)) in the server's environment and restart it."
                )
            }
        }
    }

    /// Substitutes `{name}` and `{/name}` in a path template.
    package static func expand(_ template: String, tool: ToolDefinition, arguments: [String: JSONValue]) -> String {
        var output = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            output += rest[..<open]
            var name = rest[rest.index(after: open)..<close]
            let isOptionalSegment = name.hasPrefix("/")
            if isOptionalSegment { name = name.dropFirst() }
            if let value = arguments[String(name)] {
                output += (isOptionalSegment ? "/" : "") + percentEncoded(text(value))
            }
            rest = rest[rest.index(after: close)...]
        }
        return output + rest
    }

    static func queryItems(tool: ToolDefinition, arguments: [String: JSONValue]) -> [(name: String, value: String)] {
        var items: [(name: String, value: String)] = []
        for parameter in tool.parameters {
            guard let value = arguments[parameter.name] else { continue }
            switch parameter.location {
            case .query:
                items.append((parameter.upstreamName, text(value)))
            case .queryObject:
                for (name, member) in (value.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) where !member.isNull {
                    items.append((name, text(member)))
                }
            default:
                continue
            }
        }
        return items
    }

    static func bodyMembers(tool: ToolDefinition, arguments: [String: JSONValue]) -> [String: JSONValue] {
        var members: [String: JSONValue] = [:]
        for parameter in tool.parameters {
            guard let value = arguments[parameter.name] else { continue }
            switch parameter.location {
            case .body:
                if case .array(_, _, joined: true) = parameter.kind {
                    members[parameter.upstreamName] = .string(text(value))
                } else {
                    members[parameter.upstreamName] = value
                }
            case .bodyObject:
                members.merge(value.objectValue ?? [:]) { _, new in new }
            default:
                continue
            }
        }
        return members
    }

    /// An argument as it is written in a path or query: lists comma-separated.
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return text
        case .array(let elements): return elements.map(text).joined(separator: ",")
        default: return value.jsonText
        }
    }

    /// RFC 3986 percent-encoding of everything but unreserved characters (and commas in
    /// query values, which the providers document unescaped: `platform=deepseek,doubao`).
    static func percentEncoded(_ text: String, keepingCommas: Bool = false) -> String {
        var output = [UInt8]()
        output.reserveCapacity(text.utf8.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                output.append(byte)
            case UInt8(ascii: ",") where keepingCommas:
                output.append(byte)
            default:
                output.append(UInt8(ascii: "%"))
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
