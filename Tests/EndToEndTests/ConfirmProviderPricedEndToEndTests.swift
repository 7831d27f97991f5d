import Foundation
import Locking
import LoopbackStandIn
import Testing
import Wire

/// Asking before a call whose price the provider reports afterwards, through the real
/// binary: the quote is the worst case the ledger would hold (documented, the largest
/// charge recorded, or everything left), with its basis, and nothing is sent until approved.
@Suite("Ask before spending: provider-priced tools")
struct ConfirmProviderPricedEndToEndTests {
    /// A DataTrust model detail that charges `charge` yuan (the documented answers elsewhere).
    final class Charging: Sendable {
        let charge = Locked(3.0)

        var upstream: Upstream {
            .answering { [self] request in
                guard request.path.contains("/models/") else { return DocumentedResponses.respond(request) }
                let charged = charge.withLock { $0 }
                let body: JSONValue = [
                    "success": true, "data": ["id": 1, "name": "用户行为数据模型"],
                    "credits_charged": .double(charged), "balance_remaining": 40.0,
                ]
                return StubResponse(status: 200, headers: ["Content-Type": "application/json"], body: body.jsonBytes)
            }
        }
    }

    static let model: JSONValue = ["id": "1"]

    static func with(_ token: String) -> JSONValue { ["id": "1", "confirm_token": .string(token)] }

    static func modelRequests(_ harness: Harness) -> Int {
        harness.upstream.callRequests.filter { $0.path.contains("/models/") }.count
    }

    @Test func aDocumentedPriceAsksThenTheLargestRecordedChargeIsQuoted() async throws {
        let standIn = Charging()
        standIn.charge.withLock { $0 = 4.5 }
        let environment = ["SOCIAL_DATA_MCP_CONFIRM_ABOVE_CNY": "2", "SOCIAL_DATA_MCP_CACHE_TTL": "0"]
        try await withHarness(environment: environment, upstream: standIn.upstream) { harness in
            let quoted = try await harness.server.callTool("datatrust_get_model", Self.model)
            #expect(quoted.isToolError, "\(quoted.resultText)")
            let error = quoted["structuredContent"]?["error"]
            #expect(error?["kind"] == "confirmation_required" && error?["worst_case"] == 3.0)
            #expect(error?["reserve_basis"] == "documented")
            #expect(quoted.resultText.contains("documented: ¥3.00"), "\(quoted.resultText)")
            let first = try #require(quoted["structuredContent"]?["confirm_token"]?.stringValue)
            let again = try await harness.server.callTool("datatrust_get_model", Self.model)
            let second = try #require(again["structuredContent"]?["confirm_token"]?.stringValue)
            #expect(Self.modelRequests(harness) == 0, "nothing is sent before confirmation")

            let confirmed = try await harness.server.callTool("datatrust_get_model", Self.with(first))
            #expect(!confirmed.isToolError, "\(confirmed.resultText)")
            #expect(Self.modelRequests(harness) == 1, "one upstream request once confirmed")

            // ¥4.50 was charged, above the documented ¥3.00: it is the tool's reserve now.
            let requoted = try await harness.server.callTool("datatrust_get_model", Self.model)
            #expect(requoted["structuredContent"]?["error"]?["worst_case"] == 4.5, "\(requoted.resultText)")
            #expect(requoted["structuredContent"]?["error"]?["reserve_basis"] == "recorded")
            #expect(
                requoted.resultText.contains("largest charge recorded for this tool: ¥4.50"),
                "\(requoted.resultText)"
            )
            // A token for ¥3.00 no longer covers the call.
            let stale = try await harness.server.callTool("datatrust_get_model", Self.with(second))
            #expect(stale.isToolError && stale.resultText.contains("rose above"), "\(stale.resultText)")
            #expect(stale["structuredContent"]?["error"]?["worst_case"] == 4.5)
            #expect(Self.modelRequests(harness) == 1, "a token for a smaller worst case sends nothing")

            let usage = try await harness.server.callTool("social_data_usage")
            #expect(usage["structuredContent"]?["data"]?["overall"]?["spent_cny"] == 4.5)
        }
    }

    @Test func aCreatiVaultCallAboveTheCreditsThresholdAsks() async throws {
        let environment = [
            "SOCIAL_DATA_MCP_CONFIRM_ABOVE_CREDITS": "10", "SOCIAL_DATA_MCP_DAILY_LIMIT_CREDITS": "100",
            "SOCIAL_DATA_MCP_CACHE_TTL": "0",
        ]
        let search: JSONValue = ["platform": "tiktok", "keyword": "beauty"]
        try await withHarness(environment: environment) { harness in
            let quoted = try await harness.server.callTool("creativault_search_creators", search)
            #expect(quoted.isToolError, "\(quoted.resultText)")
            let error = quoted["structuredContent"]?["error"]
            #expect(error?["worst_case"] == 100.0 && error?["currency"] == "CREDITS", "\(quoted.resultText)")
            #expect(error?["reserve_basis"] == "rest")
            #expect(quoted.resultText.contains("no known price: up to everything left"), "\(quoted.resultText)")
            #expect(quoted.resultText.contains("SOCIAL_DATA_MCP_CONFIRM_ABOVE_CREDITS"))
            #expect(harness.upstream.callRequests.isEmpty, "nothing is sent before confirmation")
            let token = try #require(quoted["structuredContent"]?["confirm_token"]?.stringValue)
            let confirmed = try await harness.server.callTool(
                "creativault_search_creators",
                ["platform": "tiktok", "keyword": "beauty", "confirm_token": .string(token)]
            )
            #expect(!confirmed.isToolError, "\(confirmed.resultText)")
            #expect(harness.upstream.callRequests.count == 1)
        }
        // Without a credits threshold (the default), CreatiVault never asks.
        try await withHarness(environment: ["SOCIAL_DATA_MCP_DAILY_LIMIT_CREDITS": "100"]) { harness in
            let plain = try await harness.server.callTool("creativault_search_creators", search)
            #expect(!plain.isToolError, "\(plain.resultText)")
        }
    }

    @Test func atTheThresholdADryRunACacheHitAndNoneNeverAsk() async throws {
        try await withHarness(
            environment: ["SOCIAL_DATA_MCP_CONFIRM_ABOVE_CNY": "3"],
            upstream: Charging().upstream
        ) { harness in
            let atThreshold = try await harness.server.callTool("datatrust_get_model", Self.model)
            #expect(!atThreshold.isToolError, "¥3.00 is at a ¥3 threshold: \(atThreshold.resultText)")
            let hit = try await harness.server.callTool("datatrust_get_model", Self.model)
            #expect(!hit.isToolError && hit["structuredContent"]?["billing"]?["cached"] == true, "\(hit.resultText)")
            #expect(Self.modelRequests(harness) == 1)
        }
        try await withHarness(
            environment: ["SOCIAL_DATA_MCP_CONFIRM_ABOVE_CNY": "2"],
            upstream: Charging().upstream
        ) { harness in
            let dryRun = try await harness.server.callTool("datatrust_get_model", ["id": "1", "dry_run": true])
            #expect(!dryRun.isToolError && dryRun["structuredContent"]?["dry_run"] == true, "\(dryRun.resultText)")
            // The dry run states what the ledger would hold, on the same basis the ask stage quotes.
            #expect(
                dryRun.resultText.contains("would hold ¥3.00 for it (documented: ¥3.00 a call)"),
                "\(dryRun.resultText)"
            )
            #expect(dryRun["structuredContent"]?["worst_case"] == 3.0)
            #expect(Self.modelRequests(harness) == 0)
        }
        try await withHarness(
            environment: ["SOCIAL_DATA_MCP_CONFIRM_ABOVE_CNY": "none", "SOCIAL_DATA_MCP_CACHE_TTL": "0"],
            upstream: Charging().upstream
        ) { harness in
            let off = try await harness.server.callTool("datatrust_get_product", ["kind": "products", "id": "5"])
            #expect(!off.isToolError, "\(off.resultText)")
            #expect(harness.upstream.callRequests.count == 1)
        }
    }

    @Test func aLegacyClientIsAskedWithTheBasisAndOnlyAcceptSends() async throws {
        try await withHarness(
            environment: ["SOCIAL_DATA_MCP_CONFIRM_ABOVE_CNY": "2", "SOCIAL_DATA_MCP_CACHE_TTL": "0"],
            initialize: false,
            upstream: Charging().upstream
        ) { harness in
            let server = harness.server
            try await server.initialize(capabilities: ["elicitation": ["form": [:]]])
            for action in ["decline", "accept"] {
                let id = server.nextID()
                server.send([
                    "jsonrpc": "2.0", "id": .int(id), "method": "tools/call",
                    "params": ["name": "datatrust_get_model", "arguments": Self.model],
                ])
                let ask = try await server.message(timeout: .seconds(20), "elicitation/create") {
                    $0["method"] == "elicitation/create"
                }
                let message = ask["params"]?["message"]?.stringValue ?? ""
                #expect(message.contains("datatrust_get_model") && message.contains("documented: ¥3.00"), "\(message)")
                #expect(Self.modelRequests(harness) == 0)
                server.send(["jsonrpc": "2.0", "id": ask["id"] ?? .null, "result": ["action": .string(action)]])
                let result = try await server.response(to: .int(id))["result"]
                #expect(result?.isToolError == (action != "accept"), "\(action): \(result?.resultText ?? "")")
            }
            #expect(Self.modelRequests(harness) == 1, "only the accepted call was sent")
        }
    }

    /// Another process records a larger charge while the user is looking at the question:
    /// the accepted call must not hold (or spend) more than was approved.
    @Test func aReserveThatRoseAfterTheUserAcceptedIsNotSpent() async throws {
        let state = try ServerProcess.freshStateDirectory()
        let charging = Charging()
        try await withHarness(
            environment: [
                "SOCIAL_DATA_MCP_CONFIRM_ABOVE_CNY": "2", "SOCIAL_DATA_MCP_CACHE_TTL": "0",
                "SOCIAL_DATA_MCP_STATE_DIR": state,
            ],
            initialize: false,
            upstream: charging.upstream
        ) { harness in
            let server = harness.server
            try await server.initialize(capabilities: ["elicitation": ["form": [:]]])
            let id = server.nextID()
            server.send([
                "jsonrpc": "2.0", "id": .int(id), "method": "tools/call",
                "params": ["name": "datatrust_get_model", "arguments": Self.model],
            ])
            let ask = try await server.message(timeout: .seconds(20), "elicitation/create") {
                $0["method"] == "elicitation/create"
            }
            #expect(ask["params"]?["message"]?.stringValue?.contains("documented: ¥3.00") == true)
            // Meanwhile another server on the same ledger is charged ¥4.50 for the tool.
            charging.charge.withLock { $0 = 4.5 }
            var environment = Harness.keys.merging(DocumentedResponses.baseURLs(harness.upstream.baseURL())) { _, url in
                url
            }
            environment["SOCIAL_DATA_MCP_STATE_DIR"] = state
            environment["SOCIAL_DATA_MCP_CONFIRM_ABOVE_CNY"] = "none"
            let other = try ServerProcess(environment: environment)
            try await other.initialize()
            let charged = try await other.callTool("datatrust_get_model", ["id": "2"])
            #expect(!charged.isToolError, "\(charged.resultText)")
            await other.stop()
            #expect(Self.modelRequests(harness) == 1)

            server.send(["jsonrpc": "2.0", "id": ask["id"] ?? .null, "result": ["action": "accept"]])
            let result = try await server.response(to: .int(id))["result"]
            let text = result?.resultText ?? ""
            #expect(result?.isToolError == true, "\(text)")
            #expect(text.contains("rose to ¥4.50 after ¥3.00 was approved"), "\(text)")
            #expect(Self.modelRequests(harness) == 1, "the accepted call was not sent at the higher price")
            let usage = try await server.callTool("social_data_usage")
            let today = usage["structuredContent"]?["data"]?["all_processes"]?["today_cny"]
            #expect(today?["spent"] == 4.5, "only the other process's charge: \(String(describing: today))")
        }
    }
}
