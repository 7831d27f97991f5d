import Foundation
import LoopbackStandIn
import Testing
import ToolCall
import Wire

@Suite("MCP 2026-07-28 (modern era) and both eras on one connection")
struct ModernEraEndToEndTests {
    static func meta(_ extra: [String: JSONValue] = [:]) -> JSONValue {
        var meta: [String: JSONValue] = [
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": [:],
            "io.modelcontextprotocol/clientInfo": ["name": "e2e-modern", "version": "1"],
        ]
        meta.merge(extra) { _, new in new }
        return .object(meta)
    }

    @Test func discoverAnswersWithVersionsCapabilitiesAndCachingHints() async throws {
        try await withHarness(initialize: false) { harness in
            let response = try await harness.server.request("server/discover", ["_meta": Self.meta()])
            let result = try #require(response["result"])
            #expect(result["resultType"] == "complete")
            #expect(result["supportedVersions"]?.arrayValue?.first == "2026-07-28")
            #expect(result["supportedVersions"]?.arrayValue?.contains("2024-11-05") == true)
            #expect(result["capabilities"]?["tools"] != nil)
            #expect(result["_meta"]?["io.modelcontextprotocol/serverInfo"]?["name"] == "social-data-mcp")
            #expect(result["instructions"]?.stringValue?.contains("dry_run") == true)
            #expect(result["ttlMs"]?.intValue ?? 0 > 0)
            #expect(result["cacheScope"] == "private")
        }
    }

    @Test func modernRequestsNeedNoHandshake() async throws {
        try await withHarness(initialize: false) { harness in
            let list = try await harness.server.request("tools/list", ["_meta": Self.meta()])
            #expect(list["result"]?["resultType"] == "complete")
            #expect(list["result"]?["tools"]?.arrayValue?.count == ToolServices.entries.count)
            #expect(list["result"]?["ttlMs"] != nil && list["result"]?["cacheScope"] != nil)
            let call = try await harness.server.request(
                "tools/call",
                ["name": "datanexus_get_author", "arguments": ["platform": "douyin", "id": "1"], "_meta": Self.meta()]
            )
            #expect(call["result"]?["resultType"] == "complete")
            #expect(call["result"]?["isError"] == false)
            #expect(call["result"]?["_meta"]?["io.modelcontextprotocol/serverInfo"]?["version"]?.stringValue != nil)
            let ping = try await harness.server.request("ping", ["_meta": Self.meta()])
            #expect(ping["result"]?["resultType"] == "complete")
        }
    }

    @Test func versionAndCapabilityErrorsAreTheRevisionsOwn() async throws {
        try await withHarness(initialize: false) { harness in
            let unsupported = try await harness.server.request(
                "tools/list",
                [
                    "_meta": [
                        "io.modelcontextprotocol/protocolVersion": "2027-01-01",
                        "io.modelcontextprotocol/clientCapabilities": [:],
                    ]
                ]
            )
            #expect(unsupported["error"]?["code"] == -32022)
            #expect(unsupported["error"]?["data"]?["requested"] == "2027-01-01")
            #expect(unsupported["error"]?["data"]?["supported"]?.arrayValue?.contains("2026-07-28") == true)
            let noCapabilities = try await harness.server.request(
                "tools/list",
                ["_meta": ["io.modelcontextprotocol/protocolVersion": "2026-07-28"]]
            )
            #expect(noCapabilities["error"]?["code"] == -32602)
            let badLevel = try await harness.server.request(
                "tools/call",
                ["name": "social_data_usage", "_meta": Self.meta(["io.modelcontextprotocol/logLevel": "chatty"])]
            )
            #expect(badLevel["error"]?["code"] == -32602)
            let removed = try await harness.server.request("logging/setLevel", ["level": "info", "_meta": Self.meta()])
            #expect(removed["error"]?["code"] == -32601, "logging/setLevel is gone in 2026-07-28")
        }
    }

    @Test func logMessagesOnlyForRequestsThatAskForThem() async throws {
        try await withHarness(initialize: false) { harness in
            let arguments: JSONValue = ["platform": "douyin", "id": "1"]
            _ = try await harness.server.request(
                "tools/call",
                ["name": "datanexus_get_author", "arguments": arguments, "_meta": Self.meta()]
            )
            _ = try await harness.server.request(
                "tools/call",
                ["name": "datanexus_get_author", "arguments": arguments, "_meta": Self.meta()]
            )
            #expect(
                !harness.server.messages.contains { $0["method"] == "notifications/message" },
                "no logLevel, no log messages"
            )
            _ = try await harness.server.request(
                "tools/call",
                [
                    "name": "datanexus_get_author", "arguments": arguments,
                    "_meta": Self.meta(["io.modelcontextprotocol/logLevel": "info"]),
                ]
            )
            let log = try await harness.server.message { $0["method"] == "notifications/message" }
            #expect(log["params"]?["level"] == "info")
            #expect(log["params"]?["data"]?.stringValue?.contains("answered from cache") == true)
        }
    }

    @Test func progressFlowsForModernRequests() async throws {
        try await withHarness(initialize: false) { harness in
            let response = try await harness.server.request(
                "tools/call",
                [
                    "name": "creativault_get_task_status", "arguments": ["task_id": "modern-task", "wait_seconds": 20],
                    "_meta": Self.meta(["progressToken": "p-modern"]),
                ]
            )
            #expect(response["result"]?["structuredContent"]?["data"]?["status"] == "completed")
            let progress = harness.server.messages.filter { $0["method"] == "notifications/progress" }
            #expect(progress.count == DocumentedResponses.creatiVaultPollsToComplete)
            #expect(progress.allSatisfy { $0["params"]?["progressToken"] == "p-modern" })
        }
    }

    @Test func bothErasShareOneConnection() async throws {
        try await withHarness(initialize: false) { harness in
            let early = try await harness.server.request("tools/list")
            #expect(early["error"]?["code"] == -32602, "a legacy request before initialize")
            let modern = try await harness.server.request("tools/list", ["_meta": Self.meta()])
            #expect(modern["result"]?["resultType"] == "complete")
            try await harness.server.initialize(version: "2025-06-18")
            let legacy = try await harness.server.request("tools/list")
            #expect(legacy["result"]?["tools"] != nil)
            #expect(legacy["result"]?["resultType"] == nil, "legacy results are as they were")
            let modernAgain = try await harness.server.request(
                "tools/call",
                ["name": "social_data_usage", "_meta": Self.meta()]
            )
            #expect(modernAgain["result"]?["resultType"] == "complete")
            let level = try await harness.server.request("logging/setLevel", ["level": "info"])
            #expect(level["result"] == [:])
            _ = try await harness.server.callTool("geo_list_brands")
            _ = try await harness.server.callTool("geo_list_brands")
            let log = try await harness.server.message { $0["method"] == "notifications/message" }
            #expect(log["params"]?["data"]?.stringValue?.contains("answered from cache") == true)
        }
    }
}
