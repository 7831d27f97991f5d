import LoopbackStandIn
import Testing
import Wire

/// A documented provider error code and what the tool error must say about it.
///
/// Shared by the suites that map each provider's error codes to clear tool errors.
struct ProviderErrorCase: Sendable, CustomTestStringConvertible {
    let tool: String
    let code: String
    let environment: [String: String]
    let arguments: JSONValue
    /// The stand-in's answer; `nil` keeps the documented one (keyed by the environment).
    let handler: (@Sendable (RecordedRequest) -> StubResponse)?
    let fragments: [String]
    /// Upstream requests expected, retries included; `nil` leaves them unchecked.
    var requests: Int? = nil
    var testDescription: String { code }

    /// Calls the tool and checks the tool error names the problem and carries the code.
    func expectMapped(name: String = #function) async throws {
        try await withHarness(environment: environment, upstream: Upstream(handler: handler), name: name) {
            harness in
            let result = try await harness.server.callTool(tool, arguments)
            #expect(result.isToolError)
            for fragment in fragments {
                #expect(result.resultText.contains(fragment), "missing \"\(fragment)\" in: \(result.resultText)")
            }
            #expect(result["structuredContent"]?["error"]?["code"] == .string(code))
            if let requests { #expect(harness.upstream.callRequests.count == requests) }
        }
    }
}
