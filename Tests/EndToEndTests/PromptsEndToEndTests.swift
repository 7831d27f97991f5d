import Foundation
import Providers
import Testing
import Wire

/// The prompts through the real binary: listed and got in both eras, checked, and hidden
/// with the tools they call.
@Suite struct PromptsEndToEndTests {
    static let modernMeta: JSONValue = [
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": [:],
    ]

    private func names(_ response: JSONValue) -> [String] {
        response["result"]?["prompts"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
    }

    @Test func promptsAreListedAndGotInBothEras() async throws {
        try await withHarness(initialize: false) { harness in
            let initialized = try await harness.server.initialize(version: "2025-03-26")
            #expect(initialized["result"]?["capabilities"]?["prompts"] != nil)
            #expect(names(try await harness.server.request("prompts/list", [:])) == PromptTable.prompts.map(\.name))
            let legacy = try await harness.server.request(
                "prompts/get",
                ["name": "xiaohongshu_topic_scan", "arguments": ["keywords": "防晒, 露营", "page_size": "10"]]
            )
            let text = legacy["result"]?["messages"]?.arrayValue?.first?["content"]?["text"]?.stringValue ?? ""
            #expect(text.contains("防晒, 露营") && text.contains("page_size 10"))
            #expect(text.contains("datanexus_list_works") && text.contains("¥0.08"))

            let modern = try await harness.server.request("prompts/list", ["_meta": Self.modernMeta])
            #expect(names(modern) == PromptTable.prompts.map(\.name))
            #expect(modern["result"]?["resultType"] == "complete")
            let missing = try await harness.server.request(
                "prompts/get",
                ["_meta": Self.modernMeta, "name": "find_similar_creators", "arguments": [:]]
            )
            #expect(missing["error"]?["code"] == -32602)
            let unknown = try await harness.server.request("prompts/get", ["name": "write_my_essay"])
            #expect(unknown["error"]?["code"] == -32602)
        }
    }

    @Test func promptsFollowTheToolsets() async throws {
        try await withHarness(environment: ["SOCIAL_DATA_MCP_TOOLSETS": "geo"]) { harness in
            #expect(names(try await harness.server.request("prompts/list", [:])) == ["brand_visibility_in_ai"])
            let hidden = try await harness.server.request(
                "prompts/get",
                ["name": "diagnose_douyin_account", "arguments": [:]]
            )
            #expect(hidden["error"]?["code"] == -32602)
            let brand = try await harness.server.request(
                "prompts/get",
                ["name": "brand_visibility_in_ai", "arguments": ["brand": "示例品牌"]]
            )
            let text = brand["result"]?["messages"]?.arrayValue?.first?["content"]?["text"]?.stringValue ?? ""
            for tool in ["geo_list_brands", "geo_brand_trend", "geo_competitors", "geo_citations"] {
                #expect(text.contains(tool), "\(tool)")
            }
        }
    }
}
