import Testing
import Wire

/// One bad tool call and the words its error must contain.
///
/// Shared by every suite that proves a bad argument is refused before any paid request.
struct ArgumentCase: Sendable, CustomTestStringConvertible {
    let tool: String
    let arguments: JSONValue
    let fragment: String
    var testDescription: String { "\(tool) \(arguments.jsonText)" }

    /// Calls the tool on a fresh server and checks the refusal: a tool error
    /// (not a protocol error, so the model can read and fix it), of kind
    /// `invalid_arguments`, naming the problem, with no upstream request made.
    func expectRejected(
        environment: [String: String] = [:],
        secrets: [String] = [],
        name: String = #function
    ) async throws {
        try await withHarness(environment: environment, secrets: secrets, name: name) { harness in
            let result = try await harness.server.callTool(tool, arguments)
            #expect(result.isToolError)
            #expect(result.resultText.contains(fragment), "\(result.resultText)")
            #expect(result["structuredContent"]?["error"]?["kind"] == "invalid_arguments")
            #expect(harness.upstream.callRequests.isEmpty)
        }
    }
}
