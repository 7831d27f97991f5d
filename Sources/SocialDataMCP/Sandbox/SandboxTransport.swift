import Foundation
import SeedFixtures

/// The transport of sandbox mode: answers each request with the provider's documented
/// example for its route, from the binary, and sends nothing anywhere.
public struct SandboxTransport: HTTPTransport {
    private let providerIDs: Set<String>

    /// Creates a transport answering for `providers`, whose base URLs `Sandbox.wiring` set
    /// to `https://sandbox.invalid/<provider id>`.
    public init(providers: [Provider] = ToolTable.providers) {
        providerIDs = Set(providers.map(\.id))
    }

    /// The documented answer for the request's route, or a 404 naming the route.
    public func send(_ request: HTTPRequest, timeout: Duration) async throws(TransportError) -> HTTPResponse {
        let segments = request.url.path.split(separator: "/").map(String.init)
        guard let provider = segments.first, providerIDs.contains(provider) else {
            return Self.json(404, #"{"error":"sandbox: no provider for this URL"}"#)
        }
        let path = "/" + segments.dropFirst().joined(separator: "/")
        guard let entry = SeedFixtures.response(provider: provider, method: request.method.rawValue, path: path),
            let text = SeedFixtures.text(entry.file)
        else {
            return Self.json(404, #"{"error":"sandbox: no documented example for this route"}"#)
        }
        // TikOmni's examples are Douyin's reply, which TikOmni serves inside its envelope.
        if provider == "tikomni", let envelope = SeedFixtures.text("tikomni/envelope.response.json"),
            case .object(var members)? = try? JSONParser.parse(envelope), let reply = try? JSONParser.parse(text)
        {
            members["router"] = .string(path)
            // No cached copy exists of a sample.
            for key in ["cache_url", "cache_message", "cache_message_zh"] { members.removeValue(forKey: key) }
            members["data"] = reply
            return Self.json(200, JSONValue.object(members).jsonText)
        }
        return Self.json(200, text)
    }

    private static func json(_ status: Int, _ text: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: Array(text.utf8))
    }
}
