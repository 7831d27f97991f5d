import Catalog
import Foundation
import LoopbackStandIn
import Providers
import SeedFixtures
import Testing
import Wire

@Suite("DataNexus end to end")
struct DataNexusEndToEndTests {
    static let key = ["X-API-Key": Harness.keys["DATANEXUS_API_KEY"] ?? ""]

    static let requests: [UpstreamExpectation] = [
        UpstreamExpectation(
            "datanexus_list_authors",
            ["platform": "xiaohongshu", "keyword": "美妆", "page": 2, "page_size": 10],
            "GET",
            "/api/v1/platforms/xiaohongshu/authors",
            query: ["keyword": "美妆", "page": "2", "page_size": "10"],
            headers: key
        ),
        UpstreamExpectation(
            "datanexus_list_authors",
            ["platform": "kuaishou"],
            "GET",
            "/api/v1/platforms/kuaishou/authors",
            headers: key
        ),
        UpstreamExpectation(
            "datanexus_get_author",
            ["platform": "xiaohongshu", "id": "506931231"],
            "GET",
            "/api/v1/platforms/xiaohongshu/authors/506931231",
            headers: key
        ),
        UpstreamExpectation(
            "datanexus_list_works",
            ["platform": "douyin", "keyword": "美食", "author_id": "a1", "page_size": 10],
            "GET",
            "/api/v1/platforms/douyin/works",
            query: ["keyword": "美食", "author_id": "a1", "page_size": "10"],
            headers: key
        ),
        UpstreamExpectation(
            "datanexus_get_work",
            ["platform": "channels", "id": "w/1 2"],
            "GET",
            "/api/v1/platforms/channels/works/w/1 2",
            headers: key
        ),
        UpstreamExpectation(
            "datanexus_generate_image",
            ["prompt": "夕阳下的城市天际线", "size": "1024x1024", "quality": "high", "response_format": "url"],
            "POST",
            "/api/v1/images/generations",
            body: ["prompt": "夕阳下的城市天际线", "size": "1024x1024", "quality": "high", "response_format": "url"],
            headers: key.merging(["Content-Type": "application/json"]) { own, _ in own }
        ),
        UpstreamExpectation("datanexus_list_platforms", [:], "GET", "/api/v1/platforms"),
        UpstreamExpectation("datanexus_list_platforms", ["platform": "douyin"], "GET", "/api/v1/platforms/douyin"),
        UpstreamExpectation(
            "datanexus_get_pricing",
            ["platform": "gpt-image-2"],
            "GET",
            "/api/v1/billing/pricing/gpt-image-2"
        ),
        UpstreamExpectation("datanexus_get_catalog", [:], "GET", "/api/v1/catalog"),
    ]

    @Test("each tool makes its documented request", arguments: requests)
    func exactUpstreamRequest(_ expectation: UpstreamExpectation) async throws {
        try await expectation.verify(prefix: "/datanexus")
    }

    @Test func pathSegmentsArePercentEncoded() async throws {
        try await withHarness { harness in
            _ = try await harness.server.callTool("datanexus_get_work", ["platform": "channels", "id": "w/1 2"])
            #expect(harness.upstream.callRequests.first?.path == "/datanexus/api/v1/platforms/channels/works/w%2F1%202")
        }
    }

    @Test func listResultCountsItemsAndStatesTheCost() async throws {
        try await withHarness { harness in
            let result = try await harness.server.callTool(
                "datanexus_list_authors",
                ["platform": "douyin", "page_size": 5]
            )
            #expect(result.resultText.contains("5 items returned"))
            #expect(result.resultText.contains("Cost: ¥0.40 (5 items × ¥0.08)"))
            #expect(result["structuredContent"]?["data"]?["items"]?.arrayValue?.count == 5)
            #expect(result["structuredContent"]?["billing"]?["cost"] == 0.4)
        }
    }

    @Test func base64ImageComesBackAsAnImageBlock() async throws {
        try await withHarness { harness in
            let result = try await harness.server.callTool(
                "datanexus_generate_image",
                ["prompt": "猫", "response_format": "b64_json"]
            )
            let blocks = result["content"]?.arrayValue ?? []
            let image = blocks.first { $0["type"] == "image" }
            #expect(image?["mimeType"] == "image/png")
            #expect(image?["data"]?.stringValue == DocumentedResponses.tinyPNGBase64)
            // The base64 is not repeated in the text or the structured data.
            #expect(!result.resultText.contains(DocumentedResponses.tinyPNGBase64))
            #expect(!(result["structuredContent"]?.jsonText.contains(DocumentedResponses.tinyPNGBase64) ?? true))
        }
    }

    @Test func imageURLComesBackAsAResourceLinkAndInTheText() async throws {
        try await withHarness { harness in
            let result = try await harness.server.callTool("datanexus_generate_image", ["prompt": "猫"])
            let link = result["content"]?.arrayValue?.first { $0["type"] == "resource_link" }
            let fixture = try JSONParser.parse(SeedFixtures.text("datanexus/images_generations.response.json") ?? "")
            let url = try #require(fixture["data"]?["data"]?.arrayValue?.first?["url"]?.stringValue)
            #expect(link?["uri"] == .string(url))
            #expect(link?["mimeType"] == "image/png")
            #expect(result.resultText.contains(url))
            #expect(result.resultText.contains("¥0.50"))
        }
    }

    @Test func dataNullSaysTheEndpointIsNotConnectedAndCostsNothing() async throws {
        try await withHarness(upstream: .answering { _ in .json(200, ["success": true, "data": NSNull()]) }) {
            harness in
            let result = try await harness.server.callTool("datanexus_get_author", ["platform": "douyin", "id": "1"])
            #expect(!result.isToolError)
            #expect(result.resultText.contains("not connected upstream"))
            #expect(result["structuredContent"]?["billing"]?["cost"] == 0.0)
        }
    }

    @Test func aPlatformPricedAboveTheFloorIsQuotedAndChargedAtItsOwnPrice() async throws {
        // DataNexus documents "at least ¥0.08 per item"; its free price list says Douyin costs more.
        let upstream = Upstream.answering { request in
            if request.isPriceListRead, request.path.hasSuffix("/douyin") {
                return .json(
                    200,
                    ["success": true, "data": ["platform": "douyin", "unit_price": 0.12, "currency": "CNY"]]
                )
            }
            return DocumentedResponses.respond(request)
        }
        try await withHarness(environment: ["SOCIAL_DATA_MCP_MAX_SPEND_CNY": "5"], upstream: upstream) { harness in
            let quote = try await harness.server.callTool(
                "datanexus_list_works",
                ["platform": "douyin", "page_size": 50, "dry_run": true]
            )
            #expect(quote["structuredContent"]?["worst_case"] == 6.0, "50 × ¥0.12")
            #expect(quote.textView.contains("Worst case for these arguments: ¥6.00 (50 items × ¥0.12)"))
            #expect(harness.upstream.callRequests.isEmpty, "only the free price list was read")

            let refused = try await harness.server.callTool(
                "datanexus_list_works",
                ["platform": "douyin", "page_size": 50]
            )
            #expect(refused.textView.contains("A call with page_size ≤ 41 would fit."), "¥5 / ¥0.12")

            let paid = try await harness.server.callTool(
                "datanexus_list_works",
                ["platform": "douyin", "page_size": 5]
            )
            let items = paid["structuredContent"]?["data"]?["items"]?.arrayValue?.count ?? 0
            #expect(paid["structuredContent"]?["billing"]?["cost"] == .double(Money.yuan(0.12).times(items).amount))
            #expect(harness.upstream.requests.filter(\.isPriceListRead).count == 1, "read once per platform")

            let other = try await harness.server.callTool(
                "datanexus_list_works",
                ["platform": "kuaishou", "page_size": 10, "dry_run": true]
            )
            #expect(other["structuredContent"]?["worst_case"] == 0.8, "another platform keeps its own price")
        }
    }
}
