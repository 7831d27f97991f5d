/// A JSON-RPC error object: the protocol-level failures, mapped to the wire in one place.
///
/// Tool failures (bad arguments, upstream errors) are not `RPCError`s: MCP wants those
/// as `isError: true` tool results so the model can read them and correct itself.
public struct RPCError: Error, Sendable, Equatable {
    /// The JSON-RPC error code.
    public let code: Int
    /// A one-line message.
    public let message: String
    /// Optional structured detail.
    public let data: JSONValue?

    /// Creates an error with a code, message and optional data.
    public init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    /// -32700: the line is not JSON.
    public static func parseError(_ detail: String) -> RPCError {
        RPCError(code: -32700, message: "Parse error: \(detail)")
    }

    /// -32600: JSON, but not a valid JSON-RPC request.
    public static func invalidRequest(_ detail: String) -> RPCError {
        RPCError(code: -32600, message: "Invalid Request: \(detail)")
    }

    /// -32601: the method does not exist here.
    public static func methodNotFound(_ method: String) -> RPCError {
        RPCError(code: -32601, message: "Method not found: \(method)")
    }

    /// -32602: the params are malformed.
    public static func invalidParams(_ detail: String, data: JSONValue? = nil) -> RPCError {
        RPCError(code: -32602, message: "Invalid params: \(detail)", data: data)
    }

    /// -32022 (MCP 2026-07-28): the request's protocol version is not one this server speaks.
    public static func unsupportedProtocolVersion(requested: String, supported: [String]) -> RPCError {
        RPCError(
            code: -32022,
            message: "Unsupported protocol version \(requested); supported: \(supported.joined(separator: ", "))",
            data: ["requested": .string(requested), "supported": .array(supported.map { .string($0) })]
        )
    }

    /// The error object as it appears under `"error"`.
    public var json: JSONValue {
        var object: [String: JSONValue] = ["code": .int(code), "message": .string(message)]
        if let data { object["data"] = data }
        return .object(object)
    }
}
