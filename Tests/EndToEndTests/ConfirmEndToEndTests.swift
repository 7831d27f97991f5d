import Foundation
import LoopbackStandIn
import Testing
import Wire

/// Asking before spending, through the real binary: the confirm_token round trip, the
/// user's answer to `elicitation/create` (2025-11-25) and to `input_required` (2026-07-28),
/// and the calls that never ask.
@Suite("Ask before spending")
struct ConfirmEndToEndTests {
    static let big: JSONValue = ["platform": "xiaohongshu", "keyword": "美妆", "page_size": 100]

    static func with(_ arguments: JSONValue, _ extra: [String: JSONValue]) -> JSONValue {
        .object((arguments.objectValue ?? [:]).merging(extra) { _, new in new })
    }

    @Test func theConfirmTokenRoundTripAndItsRefusals() async throws {
        try await withHarness(environment: ["SOCIAL_DATA_MCP_CACHE_TTL": "0"]) { harness in
            let quoted = try await harness.server.callTool("datanexus_list_authors", Self.big)
            #expect(quoted.isToolError)
            let token = try #require(quoted["structuredContent"]?["confirm_token"]?.stringValue)
            #expect(quoted.resultText.contains(token) && quoted.resultText.contains("¥8.00"), "\(quoted.resultText)")
            #expect(harness.upstream.callRequests.isEmpty, "nothing is sent before confirmation")

            let confirmed = try await harness.server.callTool(
                "datanexus_list_authors",
                Self.with(Self.big, ["confirm_token": .string(token)])
            )
            #expect(!confirmed.isToolError, "\(confirmed.resultText)")
            #expect(harness.upstream.callRequests.count == 1)

            let reused = try await harness.server.callTool(
                "datanexus_list_authors",
                Self.with(Self.big, ["confirm_token": .string(token)])
            )
            #expect(reused.isToolError && reused.resultText.contains("already used"))
            let fresh = try #require(reused["structuredContent"]?["confirm_token"]?.stringValue)
            let changed = try await harness.server.callTool(
                "datanexus_list_authors",
                Self.with(Self.big, ["page_size": 99, "confirm_token": .string(fresh)])
            )
            #expect(changed.isToolError && changed.resultText.contains("other arguments"))
            #expect(harness.upstream.callRequests.count == 1, "a reused or mismatched token sends nothing")

            let usage = try await harness.server.callTool("social_data_usage")
            #expect(usage["structuredContent"]?["data"]?["overall"]?["spent_cny"] == 8.0)
            #expect(usage.resultText.contains("above ¥5.00 asks first"), "\(usage.resultText)")
        }
    }

    @Test func theCatalogProfilesCallerCarriesTheToken() async throws {
        try await withHarness(environment: ["SOCIAL_DATA_MCP_CACHE_TTL": "0"], arguments: ["--profile", "catalog"]) {
            harness in
            let quoted = try await harness.server.callTool(
                "social_data_call_tool",
                ["name": "datanexus_list_authors", "arguments": Self.big]
            )
            let token = try #require(quoted["structuredContent"]?["confirm_token"]?.stringValue, "\(quoted.resultText)")
            #expect(harness.upstream.callRequests.isEmpty)
            let confirmed = try await harness.server.callTool(
                "social_data_call_tool",
                ["name": "datanexus_list_authors", "arguments": Self.with(Self.big, ["confirm_token": .string(token)])]
            )
            #expect(!confirmed.isToolError, "\(confirmed.resultText)")
            #expect(harness.upstream.callRequests.count == 1)
        }
    }

    @Test func doctorShowsTheThresholdAndAFlagSetsIt() async throws {
        try await withTemporaryDirectory { directory in
            let defaults = try await CommandRun.run(["doctor", "--sandbox"], environment: [:], directory: directory)
            #expect(
                defaults.stdout.contains("above ¥5.00 (the default; SOCIAL_DATA_MCP_CONFIRM_ABOVE_CNY)"),
                "\(defaults.stdout)"
            )
            let set = try await CommandRun.run(
                ["doctor", "--sandbox", "--confirm-above-cny", "none"],
                environment: [:],
                directory: directory
            )
            #expect(set.stdout.contains("Asks before spending: never"), "\(set.stdout)")
        }
    }

    @Test func atTheThresholdADryRunACacheHitAndNoneNeverAsk() async throws {
        try await withHarness(environment: ["SOCIAL_DATA_MCP_CONFIRM_ABOVE_CNY": "8"]) { harness in
            let atThreshold = try await harness.server.callTool("datanexus_list_authors", Self.big)
            #expect(!atThreshold.isToolError, "¥8.00 is at an ¥8 threshold: \(atThreshold.resultText)")
            let hit = try await harness.server.callTool("datanexus_list_authors", Self.big)
            #expect(hit["structuredContent"]?["billing"]?["cached"] == true)
            #expect(harness.upstream.callRequests.count == 1)
        }
        try await withHarness { harness in
            let dryRun = try await harness.server.callTool(
                "datanexus_list_authors",
                Self.with(Self.big, ["dry_run": true])
            )
            #expect(!dryRun.isToolError && dryRun["structuredContent"]?["dry_run"] == true)
        }
        try await withHarness(environment: ["SOCIAL_DATA_MCP_CONFIRM_ABOVE_CNY": "none"]) { harness in
            let off = try await harness.server.callTool("datanexus_list_authors", Self.big)
            #expect(!off.isToolError)
        }
    }

    @Test func aLegacyClientWithElicitationIsAskedAndOnlyAcceptSends() async throws {
        try await withHarness(environment: ["SOCIAL_DATA_MCP_CACHE_TTL": "0"], initialize: false) { harness in
            let server = harness.server
            try await server.initialize(capabilities: ["elicitation": ["form": [:]]])
            for action in ["decline", "cancel", "accept"] {
                let id = server.nextID()
                server.send([
                    "jsonrpc": "2.0", "id": .int(id), "method": "tools/call",
                    "params": ["name": "datanexus_list_authors", "arguments": Self.big],
                ])
                let ask = try await server.message(timeout: .seconds(20), "elicitation/create") {
                    $0["method"] == "elicitation/create"
                }
                let message = ask["params"]?["message"]?.stringValue ?? ""
                #expect(message.contains("datanexus_list_authors") && message.contains("¥8.00"), "\(message)")
                #expect(message.contains("是否批准"))
                #expect(harness.upstream.callRequests.isEmpty || action == "accept")
                server.send(["jsonrpc": "2.0", "id": ask["id"] ?? .null, "result": ["action": .string(action)]])
                let result = try await server.response(to: .int(id))["result"]
                #expect(result?.isToolError == (action != "accept"), "\(action): \(result?.resultText ?? "")")
            }
            #expect(harness.upstream.callRequests.count == 1, "only the accepted call was sent")
        }
    }

    @Test func aModernClientWithElicitationGetsInputRequiredAndRetries() async throws {
        try await withHarness(environment: ["SOCIAL_DATA_MCP_CACHE_TTL": "0"], initialize: false) { harness in
            let meta = ModernEraEndToEndTests.meta([
                "io.modelcontextprotocol/clientCapabilities": ["elicitation": [:]]
            ])
            func call(_ arguments: JSONValue, _ extra: [String: JSONValue] = [:]) async throws -> JSONValue {
                var params: [String: JSONValue] = [
                    "name": "datanexus_list_authors", "arguments": arguments, "_meta": meta,
                ]
                params.merge(extra) { _, new in new }
                return try await harness.server.request("tools/call", .object(params))["result"] ?? .null
            }
            let first = try await call(Self.big)
            #expect(first["resultType"] == "input_required", "\(first.jsonText)")
            let state = try #require(first["requestState"]?.stringValue)
            #expect(first["inputRequests"]?["approve_spend"]?["method"] == "elicitation/create")
            let accept: JSONValue = ["approve_spend": ["action": "accept"]]
            let changed = try await call(
                Self.with(Self.big, ["page_size": 99]),
                ["inputResponses": accept, "requestState": .string(state)]
            )
            #expect(changed.isToolError, "a retry with other arguments is refused")
            #expect(harness.upstream.callRequests.isEmpty)
            let retried = try await call(Self.big, ["inputResponses": accept, "requestState": .string(state)])
            #expect(retried["resultType"] == "complete" && !retried.isToolError, "\(retried.resultText)")
            #expect(harness.upstream.callRequests.count == 1)
        }
    }
}
