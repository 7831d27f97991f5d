import Foundation
import LoopbackStandIn
import Testing
import Wire

/// A loopback provider stand-in plus the server binary pointed at it.
struct Harness {
    /// Keys the tests configure; every test checks none of them is ever printed.
    static let keys = [
        "DATANEXUS_API_KEY": "dn_live_e2e_secret_key_0001",
        "GEO_API_KEY": "0123456789abcdef0123456789abcdef",
        "TIKOMNI_API_KEY": "tk_e2e_secret_bearer_token_0001",
        "CREATIVAULT_API_KEY": "cv_e2e_secret_api_key_0001",
        "CREATIVAULT_USER_IDENTITY": "growth@example.com",
        "DATATRUST_API_KEY": "dt_e2e_secret_api_key_0001",
    ]

    let upstream: LoopbackServer
    let server: ServerProcess

    /// Starts both; `handler` answers upstream requests (default: the documented answers).
    static func start(
        environment: [String: String] = [:],
        omitting omitted: Set<String> = [],
        arguments: [String] = [],
        handler: LoopbackServer.Handler? = nil,
        name: String = #function
    ) throws -> Harness {
        let upstream = try LoopbackServer(handler: handler ?? DocumentedResponses.makeHandler())
        var variables = keys.merging(DocumentedResponses.baseURLs(upstream.baseURL())) { _, url in url }
        variables.merge(environment) { _, new in new }
        for name in omitted { variables.removeValue(forKey: name) }
        let server = try ServerProcess(environment: variables, arguments: arguments, name: name)
        return Harness(upstream: upstream, server: server)
    }

    /// Stops the server and checks what every test must hold: stdout carried only
    /// JSON-RPC messages and no key was printed anywhere.
    func finish(secrets extra: [String] = []) async {
        await server.stop()
        upstream.stop()
        #expect(
            server.malformedStdoutLines.isEmpty,
            "non-JSON-RPC lines on stdout: \(server.malformedStdoutLines.prefix(3))"
        )
        let everything = server.stdoutLines.joined(separator: "\n") + server.stderr
        for secret in Array(Harness.keys.values).filter({ !$0.contains("@") }) + extra {
            #expect(!everything.contains(secret), "a secret appeared in the output")
        }
    }
}

/// How the stand-in answers: the documented responses, or a test's own script.
struct Upstream: Sendable {
    let handler: LoopbackServer.Handler?

    /// The providers' documented answers.
    static let documented = Upstream(handler: nil)

    /// Answers every request with `handler`.
    static func answering(_ handler: @escaping LoopbackServer.Handler) -> Upstream { Upstream(handler: handler) }

    /// Answers every request with the same response.
    static func always(_ response: StubResponse) -> Upstream { Upstream { _ in response } }
}

/// Runs `body` with a started harness and always finishes it.
func withHarness(
    environment: [String: String] = [:],
    omitting omitted: Set<String> = [],
    arguments: [String] = [],
    initialize: Bool = true,
    upstream: Upstream = .documented,
    secrets: [String] = [],
    name: String = #function,
    _ body: (Harness) async throws -> Void
) async throws {
    let harness = try Harness.start(
        environment: environment,
        omitting: omitted,
        arguments: arguments,
        handler: upstream.handler,
        name: name
    )
    do {
        if initialize { try await harness.server.initialize() }
        try await body(harness)
    } catch {
        await harness.finish(secrets: secrets)
        throw error
    }
    await harness.finish(secrets: secrets)
}

extension JSONValue {
    /// The text of a tool result's first content block.
    var resultText: String { self["content"]?.arrayValue?.first?["text"]?.stringValue ?? "" }

    /// What a text-first client (Claude Desktop, Cursor) gives the model: every text block.
    var textView: String {
        (self["content"]?.arrayValue ?? []).compactMap { $0["type"] == "text" ? $0["text"]?.stringValue : nil }
            .joined(separator: "\n")
    }

    /// What a structured-first client (Claude Code, Codex, VS Code) gives the model instead:
    /// `structuredContent`, serialized.
    var structuredView: String { self["structuredContent"]?.jsonText ?? "" }

    /// Whether a tool result is an error.
    var isToolError: Bool { self["isError"] == .bool(true) }
}

extension LoopbackServer {
    /// The requests tool calls made: without the DataNexus price-list reads the server
    /// makes once per platform before its first paid call there (they carry no key; a
    /// `datanexus_get_pricing` call, which does, stays).
    var callRequests: [RecordedRequest] { requests.filter { !$0.isPriceListRead } }
}

extension RecordedRequest {
    /// A read of DataNexus's free price list by the server's own price book.
    var isPriceListRead: Bool { path.contains("/api/v1/billing/pricing/") && headers["x-api-key"] == nil }
}
