import Catalog
import Providers
import Testing
import ToolCall
import Upstream
import Wire

@Suite struct RequestBuilderTests {
    private func entry(_ name: String) throws -> ToolCatalog.Entry {
        try #require(ToolServices.entries.first { $0.tool.name == name })
    }

    private func provider(of entry: ToolCatalog.Entry) throws -> Provider {
        try #require(ToolTable.providers.first { $0.id == entry.toolset.id })
    }

    @Test func buildsPathQueryAndAuthentication() throws {
        let entry = try entry("datanexus_list_authors")
        let request = try RequestBuilder.build(
            .get("/api/v1/platforms/{platform}/authors"),
            tool: entry.tool,
            provider: try provider(of: entry),
            arguments: ["platform": "xiaohongshu", "keyword": "美 妆&x", "page_size": 10, "dry_run": false],
            environment: Environment(["DATANEXUS_API_KEY": "dn_live_k", "DATANEXUS_BASE_URL": "https://h:1/base/"])
        )
        #expect(
            request.url.absoluteString
                == "https://h:1/base/api/v1/platforms/xiaohongshu/authors?keyword=%E7%BE%8E%20%E5%A6%86%26x&page_size=10"
        )
        #expect(request.headers["X-API-Key"] == "dn_live_k")
        #expect(request.body == nil)
    }

    @Test func optionalPathSegmentsExpandOnlyWhenGiven() throws {
        let entry = try entry("datanexus_list_platforms")
        let environment = Environment(["DATANEXUS_BASE_URL": "https://h"])
        let all = try RequestBuilder.build(
            .get("/api/v1/platforms{/platform}"),
            tool: entry.tool,
            provider: try provider(of: entry),
            arguments: [:],
            environment: environment
        )
        let one = try RequestBuilder.build(
            .get("/api/v1/platforms{/platform}"),
            tool: entry.tool,
            provider: try provider(of: entry),
            arguments: ["platform": "douyin"],
            environment: environment
        )
        #expect(all.url.absoluteString == "https://h/api/v1/platforms")
        #expect(one.url.absoluteString == "https://h/api/v1/platforms/douyin")
        #expect(all.headers["X-API-Key"] == nil, "public endpoints work without a key")
    }

    @Test func missingKeyNamesTheVariable() throws {
        let entry = try entry("datanexus_get_author")
        #expect(throws: UpstreamError.self) {
            try RequestBuilder.build(
                .get("/api/v1/platforms/{platform}/authors/{id}"),
                tool: entry.tool,
                provider: try provider(of: entry),
                arguments: ["platform": "douyin", "id": "1"],
                environment: Environment([:])
            )
        }
    }

    @Test func postBodiesCarryBodyArgumentsOnly() throws {
        let entry = try entry("datanexus_generate_image")
        let request = try RequestBuilder.build(
            .post("/api/v1/images/generations"),
            tool: entry.tool,
            provider: try provider(of: entry),
            arguments: ["prompt": "猫", "dry_run": false],
            environment: Environment(["DATANEXUS_API_KEY": "dn_live_k"])
        )
        #expect(try JSONParser.parse(request.body ?? []) == ["prompt": "猫"])
        #expect(request.headers["Content-Type"] == "application/json")
    }
}
