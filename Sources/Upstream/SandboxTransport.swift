import Catalog
import Foundation
import SeedFixtures
import Wire

/// The transport of sandbox mode: answers each request with the provider's documented
/// example for its route, from the binary, sized to the page asked for, and sends nothing
/// anywhere.
public struct SandboxTransport: HTTPTransport {
    private let providers: [String: Provider]

    /// Creates a transport answering for `providers`, whose base URLs sandbox mode sets to
    /// `https://sandbox.invalid/<provider id>`.
    public init(providers: [Provider]) {
        self.providers = Dictionary(providers.map { ($0.id, $0) }) { first, _ in first }
    }

    /// The documented answer for the request's route, or a 404 naming the route.
    public func send(_ request: HTTPRequest, timeout: Duration) async throws(TransportError) -> HTTPResponse {
        let segments = request.url.path.split(separator: "/").map(String.init)
        guard let id = segments.first, let provider = providers[id] else {
            return Self.json(404, #"{"error":"sandbox: no provider for this URL"}"#)
        }
        let path = "/" + segments.dropFirst().joined(separator: "/")
        guard let entry = SeedFixtures.response(provider: id, method: request.method.rawValue, path: path),
            let text = SeedFixtures.text(entry.file)
        else {
            return Self.json(404, #"{"error":"sandbox: no documented example for this route"}"#)
        }
        let paging = SandboxPaging(request)
        guard provider.wrapSample != nil || paging != nil, var reply = try? JSONParser.parse(text) else {
            return Self.json(200, text)
        }
        // A provider that documents its envelope apart from its routes' examples wraps them.
        if let wrap = provider.wrapSample, let wrapped = wrap(path, reply) { reply = wrapped }
        // The page asked for, as the real provider would answer it (the sample's items
        // repeated or trimmed; the result stays labelled as sample data).
        if let paging { reply = paging.apply(to: reply) }
        return Self.json(200, reply.jsonText)
    }

    private static func json(_ status: Int, _ text: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: Array(text.utf8))
    }
}
