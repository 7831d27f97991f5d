import Foundation
import LoopbackStandIn
import Testing
import ToolCall
import Wire

/// Sandbox mode: no keys, every tool answers with the documented examples built into the
/// binary, labelled as samples with what the real call would cost, and nothing leaves.
@Suite("Sandbox end to end")
struct SandboxEndToEndTests {
    struct Call: Sendable, CustomTestStringConvertible {
        let tool: String
        let arguments: JSONValue
        /// A member of the sample's data that shows it is the provider's example.
        let sample: [String]
        var testDescription: String { tool }
    }

    static let calls: [Call] = [
        Call(tool: "datanexus_list_authors", arguments: ["platform": "xiaohongshu"], sample: ["items"]),
        Call(
            tool: "creativault_search_creators",
            arguments: ["platform": "youtube", "keyword": "beauty"],
            sample: ["list"]
        ),
        Call(tool: "tikomni_douyin_author_diagnosis", arguments: [:], sample: ["data", "PlayFinishRatio"]),
        Call(
            tool: "geo_brand_trend",
            arguments: ["brand_id": .string(DocumentedResponses.geoBrandID), "days": 14],
            sample: []
        ),
        Call(tool: "datatrust_get_model", arguments: ["id": "123"], sample: ["grade_v4"]),
    ]

    static let sandbox = ["SOCIAL_DATA_MCP_SANDBOX": "1"]

    @Test("answers with labelled sample data and sends nothing", arguments: calls)
    func answersFromTheDocumentationWithoutKeys(_ call: Call) async throws {
        try await withHarness(environment: Self.sandbox, omitting: Set(Harness.keys.keys)) { harness in
            let result = try await harness.server.callTool(call.tool, call.arguments)
            #expect(!result.isToolError, "\(result.resultText)")
            #expect(result.resultText.contains("SANDBOX: sample data"), "\(result.resultText)")
            #expect(result.resultText.contains("nothing was charged; the real call would have cost"))
            let structured = result["structuredContent"]
            let label = structured?["upstream"]?["sandbox"]
            #expect(label?["sample_data"] == true)
            #expect(label?["would_cost"]?.stringValue?.isEmpty == false)
            #expect(structured?["billing"]?["cost"] == 0.0)
            var data = structured?["data"]
            for key in call.sample { data = data?[key] }
            #expect(data != nil && data != .null, "sample member \(call.sample) missing")
            #expect(harness.upstream.callRequests.isEmpty, "a request left the process")
        }
    }

    @Test func aPaidListQuotesItsWorstCaseAndSettlesAtZero() async throws {
        try await withHarness(environment: Self.sandbox, omitting: Set(Harness.keys.keys)) { harness in
            let result = try await harness.server.callTool(
                "datanexus_list_authors",
                ["platform": "douyin", "page_size": 50]
            )
            #expect(result["structuredContent"]?["upstream"]?["sandbox"]?["would_cost"] == "up to ¥4.00")
            #expect(result["structuredContent"]?["upstream"]?["sandbox"]?["source"] != nil)
            let usage = try await harness.server.callTool("social_data_usage")
            let overall = usage["structuredContent"]?["data"]?["overall"]
            #expect(overall?["calls"] == 1, "\(usage.resultText)")
            #expect(overall?["spent_cny"] == 0.0)
            #expect(harness.upstream.callRequests.isEmpty)
        }
    }

    @Test func argumentsAreStillValidated() async throws {
        try await withHarness(omitting: Set(Harness.keys.keys), arguments: ["--sandbox"]) { harness in
            let result = try await harness.server.callTool("datanexus_list_authors", ["platform": "weibo"])
            #expect(result.isToolError)
            #expect(result.resultText.contains("'platform' must be one of"))
            #expect(harness.upstream.callRequests.isEmpty)
        }
    }

    @Test func theInstructionsSaySandboxModeIsOn() async throws {
        try await withHarness(environment: Self.sandbox, initialize: false) { harness in
            let response = try await harness.server.initialize()
            let instructions = (response["result"] ?? response)["instructions"]?.stringValue
            #expect(instructions?.hasPrefix("SANDBOX MODE IS ON") == true, "\(instructions ?? "")")
        }
    }

    @Test func theCallCommandAnswersFromTheDocumentationWithTheFlag() async throws {
        let upstream = try LoopbackServer(handler: DocumentedResponses.makeHandler())
        defer { upstream.stop() }
        let run = try await withTemporaryDirectory { directory in
            try await CommandRun.run(
                ["call", "geo_list_brands", "{}", "--sandbox"],
                environment: DocumentedResponses.baseURLs(upstream.baseURL()),
                directory: directory
            )
        }
        #expect(run.status == 0, "\(run.stderr)")
        let result = try JSONParser.parse(run.stdout)
        #expect(
            result["structuredContent"]?["data"]?.arrayValue?.first?["id"] == .string(DocumentedResponses.geoBrandID)
        )
        #expect(result["structuredContent"]?["upstream"]?["sandbox"]?["documented"] == true)
        #expect(upstream.requests.isEmpty)
    }
}
