/// A JSON-RPC request id: MCP allows strings and integers, never `null`.
public enum RequestID: Sendable, Hashable, CustomStringConvertible {
    /// A string id.
    case string(String)
    /// An integer id.
    case int(Int)

    /// Reads an id, accepting only the two forms MCP allows.
    public init?(_ value: JSONValue) {
        switch value {
        case .string(let text): self = .string(text)
        case .int(let number): self = .int(number)
        default: return nil
        }
    }

    /// The id as it goes back on the wire.
    public var json: JSONValue {
        switch self {
        case .string(let text): return .string(text)
        case .int(let number): return .int(number)
        }
    }

    /// The id as written in JSON, for logs.
    public var description: String { json.jsonText }
}

/// A request from the client.
public struct RPCRequest: Sendable {
    /// The id the response must carry.
    public let id: RequestID
    /// The method name.
    public let method: String
    /// The params object (empty when absent).
    public let params: [String: JSONValue]

    /// Creates a request.
    public init(id: RequestID, method: String, params: [String: JSONValue] = [:]) {
        self.id = id
        self.method = method
        self.params = params
    }
}

/// One line from stdin, classified.
public enum IncomingMessage: Sendable {
    /// A request: answer exactly once (unless cancelled).
    case request(RPCRequest)
    /// A notification: never answered.
    case notification(method: String, params: [String: JSONValue])
    /// A response to a request of ours (`elicitation/create`): its id, and its result, or
    /// `nil` for an error response. One whose id is unreadable is dropped.
    case response(id: RequestID?, result: JSONValue?)
    /// Not a valid message: answer with this error, under this id when one could be read.
    case invalid(id: RequestID?, error: RPCError)

    /// Classifies a parsed JSON value by the JSON-RPC 2.0 rules.
    public init(_ value: JSONValue) {
        guard case .object(let object) = value else {
            if case .array = value {
                self = .invalid(id: nil, error: .invalidRequest("batches are not supported; send one message per line"))
            } else {
                self = .invalid(id: nil, error: .invalidRequest("expected a JSON-RPC object, got \(value.typeName)"))
            }
            return
        }
        let rawID = object["id"]
        let id = rawID.flatMap(RequestID.init)
        guard object["jsonrpc"] == .string("2.0") else {
            self = .invalid(id: id, error: .invalidRequest("\"jsonrpc\" must be \"2.0\""))
            return
        }
        guard let methodValue = object["method"] else {
            if object["result"] != nil || object["error"] != nil {
                self = .response(id: id, result: object["error"] == nil ? object["result"] : nil)
            } else {
                self = .invalid(id: id, error: .invalidRequest("missing \"method\""))
            }
            return
        }
        guard case .string(let method) = methodValue else {
            self = .invalid(id: id, error: .invalidRequest("\"method\" must be a string"))
            return
        }
        if let rawID, id == nil {
            self = .invalid(
                id: nil,
                error: .invalidRequest("\"id\" must be a string or an integer, got \(rawID.typeName)")
            )
            return
        }
        var params: [String: JSONValue] = [:]
        switch object["params"] {
        case nil: break
        case .object(let members)?: params = members
        case let other?:
            guard let id else {
                // A notification with malformed params is dropped, like any bad notification.
                self = .notification(method: "", params: [:])
                return
            }
            self = .invalid(id: id, error: .invalidParams("\"params\" must be an object, got \(other.typeName)"))
            return
        }
        if let id {
            self = .request(RPCRequest(id: id, method: method, params: params))
        } else {
            self = .notification(method: method, params: params)
        }
    }
}

/// Builders for the two response shapes.
public enum JSONRPC {
    /// A request of the server's own to the client.
    public static func request(id: RequestID, method: String, params: JSONValue) -> JSONValue {
        ["jsonrpc": "2.0", "id": id.json, "method": .string(method), "params": params]
    }

    /// A success response.
    public static func result(id: RequestID, _ result: JSONValue) -> JSONValue {
        ["jsonrpc": "2.0", "id": id.json, "result": result]
    }

    /// An error response; `id` is `null` when the request's id could not be read.
    public static func error(id: RequestID?, _ error: RPCError) -> JSONValue {
        ["jsonrpc": "2.0", "id": id?.json ?? .null, "error": error.json]
    }

    /// A notification from the server.
    public static func notification(method: String, params: JSONValue) -> JSONValue {
        ["jsonrpc": "2.0", "method": .string(method), "params": params]
    }
}
