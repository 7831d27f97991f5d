import LoopbackStandIn
import Testing
import Wire

/// The exact upstream request a tool call must make.
struct UpstreamExpectation: Sendable, CustomTestStringConvertible {
    let tool: String
    let arguments: JSONValue
    let method: String
    /// The decoded path after the provider's stand-in prefix.
    let path: String
    let query: [String: String]
    let body: JSONValue?
    let headers: [String: String]
    let absentHeaders: [String]

    init(
        _ tool: String,
        _ arguments: JSONValue,
        _ method: String,
        _ path: String,
        query: [String: String] = [:],
        body: JSONValue? = nil,
        headers: [String: String] = [:],
        absentHeaders: [String] = []
    ) {
        self.tool = tool
        self.arguments = arguments
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.headers = headers
        self.absentHeaders = absentHeaders
    }

    var testDescription: String { "\(tool) \(arguments.jsonText)" }

    /// Calls the tool and checks the one request the stand-in saw.
    func verify(prefix: String, environment: [String: String] = [:]) async throws {
        try await withHarness(environment: environment) { harness in
            let result = try await harness.server.callTool(tool, arguments)
            #expect(!result.isToolError, "\(tool) failed: \(result.resultText)")
            let requests = harness.upstream.callRequests
            try #require(requests.count == 1, "expected one upstream request, saw \(requests.map(\.path))")
            let request = requests[0]
            #expect(request.method == method)
            #expect(request.decodedPath == prefix + path)
            #expect(request.query == query)
            if let body {
                #expect((try? JSONParser.parse(request.body)) == body, "body was \(request.bodyText)")
            } else {
                #expect(request.body.isEmpty)
            }
            for (name, value) in headers {
                #expect(request.headers[name.lowercased()] == value, "header \(name)")
            }
            for name in absentHeaders {
                #expect(request.headers[name.lowercased()] == nil, "header \(name) should not be sent")
            }
        }
    }
}
