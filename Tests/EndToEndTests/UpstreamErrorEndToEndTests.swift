import Foundation
import Locking
import LoopbackStandIn
import Providers
import Testing
import Wire

@Suite("Upstream failures become clear tool errors")
struct UpstreamErrorEndToEndTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let response: StubResponse
        let expectedRequests: Int
        let fragments: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "401",
            response: .json(401, ["success": false, "error": "API Key 无效"]),
            expectedRequests: 1,
            fragments: ["API key was refused (HTTP 401)", "API Key 无效", "DATANEXUS_API_KEY"]
        ),
        Case(
            name: "402",
            response: .json(402, ["success": false, "error": "余额不足"]),
            expectedRequests: 1,
            fragments: ["insufficient balance (HTTP 402)", "余额不足", "https://dataneuxs.icu/wallet"]
        ),
        Case(
            name: "404",
            response: .json(404, ["success": false, "error": "作者不存在"]),
            expectedRequests: 1,
            fragments: ["not found (HTTP 404)", "作者不存在"]
        ),
        Case(
            name: "429 after three attempts",
            response: .json(429, ["success": false, "error": "too many requests"]),
            expectedRequests: 3,
            fragments: ["rate limited (HTTP 429) after 3 attempts"]
        ),
        Case(
            name: "500 is not retried",
            response: .json(500, ["success": false, "error": "boom"]),
            expectedRequests: 1,
            fragments: ["server error (HTTP 500) after 1 attempt", "boom"]
        ),
        Case(
            name: "503 after three attempts",
            response: .json(503, ["success": false, "error": "maintenance"]),
            expectedRequests: 3,
            fragments: ["server error (HTTP 503) after 3 attempts"]
        ),
        Case(
            name: "a proxy's HTML 502 page on a paid read is not retried",
            response: .text(502, "<html><body>Bad Gateway</body></html>"),
            expectedRequests: 1,
            fragments: [
                "server error (HTTP 502)", "not JSON", "text/html", "may have been charged", "social-data-mcp usage",
            ]
        ),
        Case(
            name: "504 on a paid read is not retried",
            response: .json(504, ["success": false, "error": "gateway timeout"]),
            expectedRequests: 1,
            fragments: ["server error (HTTP 504) after 1 attempt", "may have been charged", "DataNexus balance"]
        ),
        Case(
            name: "a 200 that is not JSON",
            response: .text(200, "<html>maintenance</html>"),
            expectedRequests: 1,
            fragments: ["unexpected response (HTTP 200)", "not JSON", "<html>maintenance"]
        ),
        Case(
            name: "success: false in a 200",
            response: .json(200, ["success": false, "error": "参数错误"]),
            expectedRequests: 1,
            fragments: ["request rejected (HTTP 200)", "参数错误"]
        ),
    ]

    @Test("maps", arguments: cases)
    func mapsUpstreamFailure(_ testCase: Case) async throws {
        try await withHarness(upstream: .always(testCase.response)) { harness in
            let result = try await harness.server.callTool("datanexus_get_author", ["platform": "douyin", "id": "1"])
            #expect(result.isToolError)
            for fragment in testCase.fragments {
                #expect(result.resultText.contains(fragment), "missing \"\(fragment)\" in: \(result.resultText)")
            }
            // A failure the provider may still have billed counts at the worst case; others cost nothing.
            if result["structuredContent"]?["error"]?["may_have_been_charged"] == true {
                #expect(
                    result.resultText.contains("Cost: ¥0.08 (the provider may have charged"),
                    "\(result.resultText)"
                )
            } else {
                #expect(result.resultText.contains("Cost: ¥0.00"))
            }
            #expect(harness.upstream.callRequests.count == testCase.expectedRequests)
        }
    }

    @Test func readIsRetriedAfter503AndSucceeds() async throws {
        let calls = Locked(0)
        try await withHarness(
            upstream: .answering { request in
                if request.isPriceListRead { return DocumentedResponses.respond(request) }
                let count = calls.withLock { value in
                    value += 1
                    return value
                }
                return count == 1
                    ? .json(503, ["success": false, "error": "busy"]) : DocumentedResponses.respond(request)
            }
        ) { harness in
            let result = try await harness.server.callTool("datanexus_get_author", ["platform": "douyin", "id": "1"])
            #expect(!result.isToolError, "\(result.resultText)")
            #expect(harness.upstream.callRequests.count == 2)
        }
    }

    @Test func aFreeReadIsStillRetriedAfterA502() async throws {
        let calls = Locked(0)
        try await withHarness(
            upstream: .answering { request in
                if request.isPriceListRead { return DocumentedResponses.respond(request) }
                let count = calls.withLock { value in
                    value += 1
                    return value
                }
                return count == 1 ? .text(502, "Bad Gateway") : DocumentedResponses.respond(request)
            }
        ) { harness in
            let result = try await harness.server.callTool("datanexus_list_platforms")
            #expect(!result.isToolError, "\(result.resultText)")
            #expect(harness.upstream.callRequests.count == 2)
        }
    }

    @Test func aTimedOutImageMayHaveBeenGeneratedAndIsNotSentAgain() async throws {
        try await withHarness(
            environment: ["SOCIAL_DATA_MCP_TIMEOUT": "1"],
            upstream: .answering { request in
                var response = DocumentedResponses.respond(request)
                response.delay = 3
                return response
            }
        ) { harness in
            let result = try await harness.server.callTool("datanexus_generate_image", ["prompt": "猫"])
            #expect(result.isToolError)
            #expect(result.resultText.contains("generated the image"), "\(result.resultText)")
            #expect(result.resultText.contains("social-data-mcp usage"))
            #expect(!result.resultText.lowercased().contains("try again"))
            #expect(result["structuredContent"]?["error"]?["may_have_been_charged"] == true)
            // Under load the one request may not even have arrived within the budget; it
            // is never sent a second time.
            #expect(harness.upstream.callRequests.count <= 1, "\(result.resultText)")
        }
    }

    @Test func aFreeReadIsRetriedAfterADroppedConnectionAndAPaidReadIsNot() async throws {
        for (tool, arguments, expectedRequests) in [
            ("datanexus_list_platforms", JSONValue.object([:]), 2),
            ("datanexus_get_author", ["platform": "douyin", "id": "1"], 1),
        ] {
            let calls = Locked(0)
            try await withHarness(
                upstream: .answering { request in
                    // A fresh connection for the call: libcurl silently sends a request again
                    // when a reused keep-alive connection turns out dead.
                    if request.isPriceListRead { return DocumentedResponses.respond(request).closingTheConnection }
                    let count = calls.withLock { value in
                        value += 1
                        return value
                    }
                    return count == 1 ? .drop : DocumentedResponses.respond(request)
                }
            ) { harness in
                let result = try await harness.server.callTool(tool, arguments)
                #expect(harness.upstream.callRequests.count == expectedRequests, "\(tool)")
                if expectedRequests == 1 {
                    #expect(result.isToolError)
                    #expect(result.resultText.contains("may have been charged"), "\(result.resultText)")
                } else {
                    #expect(!result.isToolError, "\(result.resultText)")
                }
            }
        }
    }

    @Test(arguments: [StubResponse.json(503, ["success": false, "error": "busy"]), .drop])
    func imageGenerationIsNeverRetried(_ failure: StubResponse) async throws {
        try await withHarness(upstream: .always(failure)) { harness in
            let result = try await harness.server.callTool("datanexus_generate_image", ["prompt": "猫"])
            #expect(result.isToolError)
            #expect(harness.upstream.callRequests.count == 1)
            // A dropped connection may have left an image generated and billed: counted at ¥0.50.
            let mayHaveCharged = result["structuredContent"]?["error"]?["may_have_been_charged"] == true
            #expect(result.resultText.contains(mayHaveCharged ? "Cost: ¥0.50 (the provider may" : "Cost: ¥0.00"))
        }
    }

    @Test func missingKeyNamesTheVariableAndSendsNothing() async throws {
        try await withHarness(omitting: ["DATANEXUS_API_KEY"]) { harness in
            let result = try await harness.server.callTool("datanexus_get_author", ["platform": "douyin", "id": "1"])
            #expect(result.isToolError)
            #expect(result.resultText.contains("DATANEXUS_API_KEY is not set"))
            #expect(result["structuredContent"]?["error"]?["variable"] == "DATANEXUS_API_KEY")
            #expect(harness.upstream.callRequests.isEmpty)
        }
    }

    @Test func connectionFailureIsAToolError() async throws {
        // The discard port: nothing listens there, and unlike a port closed a moment ago no
        // other test's stand-in can take it over in the meantime.
        try await withHarness(environment: ["DATANEXUS_BASE_URL": "http://127.0.0.1:9/datanexus"]) { harness in
            let result = try await harness.server.callTool("datanexus_get_author", ["platform": "douyin", "id": "1"])
            #expect(result.isToolError)
            #expect(result.resultText.contains("connection failed"), "\(result.resultText)")
        }
    }

    @Test func timeoutIsAToolErrorAndTheServerKeepsAnswering() async throws {
        try await withHarness(
            environment: ["SOCIAL_DATA_MCP_TIMEOUT": "1"],
            upstream: .answering { request in
                var response = DocumentedResponses.respond(request)
                response.delay = 4
                return response
            }
        ) { harness in
            async let call = harness.server.callTool("datanexus_get_author", ["platform": "douyin", "id": "1"])
            let ping = try await harness.server.request("ping")
            #expect(ping["result"] == [:])
            let result = try await call
            #expect(result.isToolError)
            #expect(result.resultText.contains("no answer within 1 s"), "\(result.resultText)")
            #expect(result.resultText.contains("SOCIAL_DATA_MCP_TIMEOUT"))
        }
    }
}
