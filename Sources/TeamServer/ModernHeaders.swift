import Foundation
import MCP
import Wire

/// The request-metadata headers of Streamable HTTP (MCP 2026-07-28): the body's protocol
/// version, method and name mirrored into `MCP-Protocol-Version`, `Mcp-Method` and
/// `Mcp-Name`, so a proxy can route on them.
///
/// The server checks they agree with the body: if they could differ, a gateway that
/// allows `tools/call` of a free tool by its header could pass a paid one in the body.
enum ModernHeaders {
    /// -32020, the transport's error for headers that are missing or disagree with the body.
    static func mismatch(_ detail: String) -> RPCError {
        RPCError(code: -32020, message: "HeaderMismatch: \(detail)")
    }

    /// Nil when the headers match `request` (whose `_meta` names `version`); else the error.
    static func check(_ request: RPCRequest, version: String, header: (String) -> String?) -> RPCError? {
        guard let sent = header("MCP-Protocol-Version") else {
            return mismatch("the MCP-Protocol-Version header is required and must be \(version)")
        }
        guard sent == version else {
            return mismatch("MCP-Protocol-Version is \(sent) but the body's _meta says \(version)")
        }
        guard let method = header("Mcp-Method") else { return mismatch("the Mcp-Method header is required") }
        guard method == request.method else {
            return mismatch("Mcp-Method is \(method) but the body's method is \(request.method)")
        }
        guard let field = nameField[request.method] else { return nil }
        guard let body = request.params[field]?.stringValue else { return nil }
        guard let name = header("Mcp-Name") else {
            return mismatch("the Mcp-Name header is required for \(request.method)")
        }
        guard let decoded = decode(name) else { return mismatch("Mcp-Name is not valid =?base64?…?= text") }
        guard decoded == body else { return mismatch("Mcp-Name does not match the body's params.\(field)") }
        return nil
    }

    /// The params field `Mcp-Name` mirrors, by method.
    private static let nameField = ["tools/call": "name", "prompts/get": "name", "resources/read": "uri"]

    /// A header value as sent: plain ASCII, or `=?base64?…?=` around the UTF-8 bytes.
    static func decode(_ value: String) -> String? {
        let prefix = "=?base64?"
        let suffix = "?="
        guard value.hasPrefix(prefix), value.hasSuffix(suffix), value.count >= prefix.count + suffix.count else {
            return value
        }
        let encoded = String(value.dropFirst(prefix.count).dropLast(suffix.count))
        guard let data = Data(base64Encoded: encoded) else { return nil }
        return String(data: data, encoding: .utf8)
    }
}
