import Wire

/// The HTTP methods the providers use.
public enum HTTPMethod: String, Sendable {
    /// GET: parameters in the query.
    case get = "GET"
    /// POST: parameters in a JSON body.
    case post = "POST"
}

/// One upstream operation: a method and a path template relative to the provider's base URL.
///
/// Templates use `{name}` for a required segment and `{/name}` for an optional one
/// (RFC 6570 path-segment expansion): `/api/v1/platforms{/platform}` is
/// `/api/v1/platforms` without the argument and `/api/v1/platforms/douyin` with it.
public struct Endpoint: Sendable {
    /// The method.
    public let method: HTTPMethod
    /// The path template.
    public let path: String

    /// A GET of `path`.
    public static func get(_ path: String) -> Endpoint { Endpoint(method: .get, path: path) }

    /// A POST to `path`.
    public static func post(_ path: String) -> Endpoint { Endpoint(method: .post, path: path) }
}

/// How a tool picks its upstream operation.
public enum Route: Sendable {
    /// Always the same endpoint.
    case endpoint(Endpoint)
    /// The endpoint named by the value of a `.route` argument (`aspect`, `view`, `kind`,
    /// `part`), or by `default` when the argument is absent.
    case choice(by: String, [String: Endpoint], default: String? = nil)
    /// Method and path both come from arguments (`tikomni_call_route`).
    case passthrough(method: String, path: String)
    /// No upstream request (the server's own tools).
    case none

    /// The endpoint for validated arguments, when it is fixed by the table.
    public func endpoint(for arguments: [String: JSONValue]) -> Endpoint? {
        switch self {
        case .endpoint(let endpoint):
            return endpoint
        case .choice(let parameter, let endpoints, let fallback):
            return (arguments[parameter]?.stringValue ?? fallback).flatMap { endpoints[$0] }
        case .passthrough(let methodArgument, let pathArgument):
            guard let method = arguments[methodArgument]?.stringValue.flatMap(HTTPMethod.init(rawValue:)),
                let path = arguments[pathArgument]?.stringValue
            else { return nil }
            return Endpoint(method: method, path: path)
        case .none:
            return nil
        }
    }

    /// Every endpoint the table names, for docs and the closing checks of tests.
    public var endpoints: [Endpoint] {
        switch self {
        case .endpoint(let endpoint): return [endpoint]
        case .choice(_, let endpoints, _): return endpoints.keys.sorted().compactMap { endpoints[$0] }
        case .passthrough, .none: return []
        }
    }
}
