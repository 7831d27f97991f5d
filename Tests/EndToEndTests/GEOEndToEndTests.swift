import Foundation
import Locking
import LoopbackStandIn
import Providers
import Testing
import Wire

@Suite("GEO end to end")
struct GEOEndToEndTests {
    static let brand = DocumentedResponses.geoBrandID
    static let key = ["X-API-Key": Harness.keys["GEO_API_KEY"] ?? ""]

    static let requests: [UpstreamExpectation] = [
        UpstreamExpectation(
            "geo_list_brands",
            [:],
            "GET",
            "/brands",
            headers: key,
            absentHeaders: ["X-Active-Workspace"]
        ),
        UpstreamExpectation("geo_get_brand", ["brand_id": .string(brand)], "GET", "/brands/\(brand)", headers: key),
        UpstreamExpectation(
            "geo_list_topics",
            ["brand_id": .string(brand)],
            "GET",
            "/brands/\(brand)/topics",
            headers: key
        ),
        UpstreamExpectation(
            "geo_brand_overview",
            ["brand_id": .string(brand), "days": 7],
            "GET",
            "/brands/\(brand)/overview",
            query: ["days": "7"]
        ),
        UpstreamExpectation(
            "geo_brand_trend",
            ["brand_id": .string(brand), "days": 14],
            "GET",
            "/brands/\(brand)/trend",
            query: ["days": "14"]
        ),
        UpstreamExpectation(
            "geo_rank_positions",
            ["brand_id": .string(brand), "days": 30],
            "GET",
            "/brands/\(brand)/rank-positions",
            query: ["days": "30"]
        ),
        UpstreamExpectation(
            "geo_citations",
            ["brand_id": .string(brand), "start_date": "2025-12-01", "end_date": "2025-12-07", "platform": ["kimi"]],
            "GET",
            "/brands/\(brand)/citations",
            query: ["from": "2025-12-01", "to": "2025-12-07", "platform": "kimi"]
        ),
        UpstreamExpectation(
            "geo_citations",
            ["brand_id": .string(brand), "days": 30, "platform": ["wenxin", "qianwen", "yuanbao"]],
            "GET",
            "/brands/\(brand)/citations",
            query: ["days": "30", "platform": "wenxin,qianwen,yuanbao"]
        ),
        UpstreamExpectation(
            "geo_citations_overview",
            ["brand_id": .string(brand)],
            "GET",
            "/brands/\(brand)/citations/overview"
        ),
        UpstreamExpectation(
            "geo_competitors",
            ["brand_id": .string(brand), "days": 7],
            "GET",
            "/brands/\(brand)/competitors",
            query: ["days": "7"]
        ),
    ]

    @Test("each tool makes its documented request", arguments: requests)
    func exactUpstreamRequest(_ expectation: UpstreamExpectation) async throws {
        try await expectation.verify(prefix: "/geo/open-api/v1")
    }

    @Test func workspaceIsSentWhenSet() async throws {
        let expectation = UpstreamExpectation(
            "geo_list_brands",
            [:],
            "GET",
            "/brands",
            headers: ["X-Active-Workspace": DocumentedResponses.geoAllowedWorkspace]
        )
        try await expectation.verify(
            prefix: "/geo/open-api/v1",
            environment: ["GEO_WORKSPACE": DocumentedResponses.geoAllowedWorkspace]
        )
    }

    static let errorCases: [ProviderErrorCase] = [
        ProviderErrorCase(
            tool: "geo_list_brands",
            code: "missing_api_key",
            environment: [:],
            arguments: [:],
            handler: { _ in .json(401, ["error": ["code": "missing_api_key", "message": "缺少 API Key"]]) },
            fragments: ["API key was refused (HTTP 401)", "[missing_api_key]", "GEO_API_KEY"]
        ),
        ProviderErrorCase(
            tool: "geo_list_brands",
            code: "invalid_api_key",
            environment: ["GEO_API_KEY": "not-a-valid-geo-key"],
            arguments: [:],
            handler: nil,
            fragments: ["API Key 无效或已被删除", "[invalid_api_key]", "create a new key"]
        ),
        ProviderErrorCase(
            tool: "geo_list_brands",
            code: "workspace_forbidden",
            environment: ["GEO_WORKSPACE": "someone-elses-workspace"],
            arguments: [:],
            handler: nil,
            fragments: ["access denied (HTTP 403)", "[workspace_forbidden]", "GEO_WORKSPACE"]
        ),
        ProviderErrorCase(
            tool: "geo_get_brand",
            code: "brand_forbidden",
            environment: [:],
            arguments: ["brand_id": .string(DocumentedResponses.geoForeignBrandID)],
            handler: nil,
            fragments: ["[brand_forbidden]", "another workspace", "geo_list_brands"]
        ),
        ProviderErrorCase(
            tool: "geo_get_brand",
            code: "brand_not_found",
            environment: [:],
            arguments: ["brand_id": "11111111-2222-4333-8444-555555555555"],
            handler: nil,
            fragments: ["not found (HTTP 404)", "[brand_not_found]", "geo_list_brands"]
        ),
        ProviderErrorCase(
            tool: "geo_list_brands",
            code: "rate_limited",
            environment: [:],
            arguments: [:],
            handler: { _ in
                .json(429, ["error": ["code": "rate_limited", "message": "请求过于频繁"]], headers: ["Retry-After": "1"])
            },
            fragments: [
                "rate limited (HTTP 429) after 3 attempts", "[rate_limited]", "one request per second", "Wait 1 s",
            ]
        ),
        ProviderErrorCase(
            tool: "geo_list_brands",
            code: "internal_error",
            environment: [:],
            arguments: [:],
            handler: { _ in .json(500, ["error": ["code": "internal_error", "message": "服务端异常"]]) },
            fragments: ["server error (HTTP 500)", "[internal_error]", "try again later"]
        ),
    ]

    @Test("maps error code", arguments: errorCases)
    func mapsErrorCode(_ testCase: ProviderErrorCase) async throws {
        try await testCase.expectMapped()
    }

    struct DateCase: Sendable, CustomTestStringConvertible {
        let arguments: JSONValue
        let fragment: String
        var testDescription: String { arguments.jsonText }
    }

    static let dateCases: [DateCase] = [
        DateCase(
            arguments: ["start_date": "2025-02-30", "end_date": "2025-03-05"],
            fragment: "'start_date' must be a real date written YYYY-MM-DD"
        ),
        DateCase(arguments: ["start_date": "2025/12/01", "end_date": "2025-12-05"], fragment: "YYYY-MM-DD"),
        DateCase(
            arguments: ["start_date": "2025-11-01", "end_date": "2025-12-01"],
            fragment: "covers 31 days; the provider serves at most 30 days"
        ),
        DateCase(
            arguments: ["start_date": "2025-12-07", "end_date": "2025-12-01"],
            fragment: "'start_date' (2025-12-07) is after 'end_date' (2025-12-01)"
        ),
        DateCase(arguments: ["start_date": "2025-12-01"], fragment: "'start_date' and 'end_date' go together"),
        DateCase(
            arguments: ["days": 7, "start_date": "2025-12-01", "end_date": "2025-12-07"],
            fragment: "Use either days or start_date/end_date, not both"
        ),
        DateCase(arguments: ["days": 31], fragment: "'days' must be between 1 and 30"),
        DateCase(arguments: ["days": 0], fragment: "'days' must be between 1 and 30"),
        DateCase(
            arguments: ["platform": ["deepseek", "chatgpt"]],
            fragment: "'platform[1]' must be one of deepseek, doubao, wenxin, kimi, qianwen, yuanbao"
        ),
        DateCase(arguments: ["platform": "deepseek"], fragment: "'platform' must be a list"),
    ]

    @Test("rejects before any request", arguments: dateCases)
    func rejectsBadWindows(_ testCase: DateCase) async throws {
        try await withHarness { harness in
            var arguments = testCase.arguments.objectValue ?? [:]
            arguments["brand_id"] = .string(Self.brand)
            let result = try await harness.server.callTool("geo_citations", .object(arguments))
            #expect(result.isToolError)
            #expect(result.resultText.contains(testCase.fragment), "\(result.resultText)")
            #expect(harness.upstream.callRequests.isEmpty)
        }
    }

    @Test func aSuccessWithErrorNullIsASuccess() async throws {
        let brands: [[String: Any]] = [["id": Self.brand, "name": "示例品牌"]]
        let reply = StubResponse.json(200, ["data": brands, "error": NSNull()])
        try await withHarness(upstream: .always(reply)) { harness in
            let result = try await harness.server.callTool("geo_list_brands")
            #expect(!result.isToolError, "\(result.resultText)")
            #expect(result["structuredContent"]?["data"]?.arrayValue?.first?["name"] == "示例品牌")
        }
    }

    @Test func thirtyDaysInclusiveIsAccepted() async throws {
        try await withHarness { harness in
            let result = try await harness.server.callTool(
                "geo_citations",
                ["brand_id": .string(Self.brand), "start_date": "2025-11-08", "end_date": "2025-12-07"]
            )
            #expect(!result.isToolError, "\(result.resultText)")
        }
    }

    @Test func trendSummaryOfTheDocumentedExample() async throws {
        try await withHarness { harness in
            let result = try await harness.server.callTool("geo_brand_trend", ["brand_id": .string(Self.brand)])
            #expect(
                result.resultText.contains(
                    "deepseek (2025-12-07 → 2025-12-07, 1 day): mention rate 75.0% → 75.0% (+0.0 pp)"
                ),
                "\(result.resultText)"
            )
            #expect(result.resultText.contains("rank score 62.1 → 62.1 (+0.0)"))
            let summary = result["structuredContent"]?["trend_summary"]?["deepseek"]
            #expect(summary?["mention_rate_pct"]?["first"] == 75.0)
            #expect(result["structuredContent"]?["data"]?.arrayValue?.count == 1)
        }
    }

    @Test func trendSummaryPerPlatformFirstLastChangeMinMax() async throws {
        // The documented row's shape over several days and two engines, out of order.
        let rows: [[String: Any]] = [
            [
                "date": "2025-12-03", "platform": "deepseek", "mention_rate_pct": 80.0, "first_place_rate_pct": 10.0,
                "avg_rank_score": 66.0, "snapshot_count": 8,
            ],
            [
                "date": "2025-12-01", "platform": "deepseek", "mention_rate_pct": 62.5, "first_place_rate_pct": 12.5,
                "avg_rank_score": 55.2, "snapshot_count": 8,
            ],
            [
                "date": "2025-12-07", "platform": "deepseek", "mention_rate_pct": 75.0, "first_place_rate_pct": 12.5,
                "avg_rank_score": 62.1, "snapshot_count": 8,
            ],
            [
                "date": "2025-12-02", "platform": "deepseek", "mention_rate_pct": 60.0, "first_place_rate_pct": 0.0,
                "avg_rank_score": 50.1, "snapshot_count": 8,
            ],
            [
                "date": "2025-12-01", "platform": "doubao", "mention_rate_pct": 40.0, "first_place_rate_pct": 0.0,
                "avg_rank_score": NSNull(), "snapshot_count": 4,
            ],
            [
                "date": "2025-12-07", "platform": "doubao", "mention_rate_pct": 30.0, "first_place_rate_pct": 0.0,
                "avg_rank_score": NSNull(), "snapshot_count": 4,
            ],
        ]
        let response = StubResponse.json(200, ["data": rows])
        try await withHarness(upstream: .always(response)) { harness in
            let result = try await harness.server.callTool(
                "geo_brand_trend",
                ["brand_id": .string(Self.brand), "days": 7]
            )
            let text = result.resultText
            #expect(
                text.contains(
                    "deepseek (2025-12-01 → 2025-12-07, 4 days): mention rate 62.5% → 75.0% (+12.5 pp), min 60.0% on 2025-12-02, "
                        + "max 80.0% on 2025-12-03; rank score 55.2 → 62.1 (+6.9), min 50.1 on 2025-12-02, max 66.0 on 2025-12-03."
                ),
                "\(text)"
            )
            #expect(text.contains("doubao (2025-12-01 → 2025-12-07, 2 days): mention rate 40.0% → 30.0% (-10.0 pp)"))
            #expect(text.contains("rank score: no samples"))
            let deepseek = result["structuredContent"]?["trend_summary"]?["deepseek"]
            #expect(deepseek?["avg_rank_score"]?["change"] == 6.9)
            #expect(deepseek?["mention_rate_pct"]?["max_date"] == "2025-12-03")
            #expect(result["structuredContent"]?["trend_summary"]?["doubao"]?["avg_rank_score"] == .null)
        }
    }

    @Test func geoIsFree() async throws {
        try await withHarness { harness in
            let result = try await harness.server.callTool("geo_list_brands")
            #expect(result.resultText.contains("Cost: ¥0.00 (free: included in your GEO plan"))
            #expect(result["structuredContent"]?["data"]?.arrayValue?.first?["name"] == "示例品牌")
        }
    }
}
