import Foundation
import LoopbackStandIn
import Providers
import SeedFixtures
import Testing
import Wire

@Suite("TikOmni end to end")
struct TikOmniEndToEndTests {
    static let cookie = "sessionid=0f1e2d3c4b5a69788796a5b4c3d2e1f0; passport_csrf_token=abcdef0123456789"
    static let environmentCookie = "sessionid=environment-cookie-9a8b7c6d5e4f; ttwid=1%7Cenvcookie"
    static let auth = ["Authorization": "Bearer " + (Harness.keys["TIKOMNI_API_KEY"] ?? "")]
    static let prefix = "/api/u1/v1/douyin/creator_v2/"

    static func post(_ tool: String, _ arguments: JSONValue, _ route: String, body: JSONValue) -> UpstreamExpectation {
        var withCookie = arguments.objectValue ?? [:]
        withCookie["cookie"] = .string(cookie)
        var expectedBody = body.objectValue ?? [:]
        expectedBody["cookie"] = .string(cookie)
        return UpstreamExpectation(
            tool,
            .object(withCookie),
            "POST",
            prefix + route,
            body: .object(expectedBody),
            headers: auth.merging(["Content-Type": "application/json"]) { own, _ in own }
        )
    }

    static let requests: [UpstreamExpectation] = [
        post("tikomni_douyin_author_diagnosis", [:], "fetch_author_diagnosis", body: [:]),
        post(
            "tikomni_douyin_item_list",
            [
                "start_time": 1_758_988_800_000, "end_time": 1_760_198_399_000, "count": 20, "order_by": 3,
                "fields": ["metrics", "review"], "need_cooperation": false, "cursor": 5,
            ],
            "fetch_item_list",
            body: [
                "start_time": 1_758_988_800_000, "end_time": 1_760_198_399_000, "count": 20, "order_by": 3,
                "fields": "metrics,review", "need_cooperation": false, "cursor": 5,
            ]
        ),
        post(
            "tikomni_douyin_item_overview",
            ["ids": ["7559536212910853422", "7559536212910853423"], "fields": ["metrics", "dou_plus"]],
            "fetch_item_overview_data",
            body: ["ids": "7559536212910853422,7559536212910853423", "fields": "metrics,dou_plus"]
        ),
        post(
            "tikomni_douyin_item_analysis",
            ["item_id": "7559536212910853422", "aspect": "audience_portrait"],
            "fetch_item_audience_portrait",
            body: ["item_id": "7559536212910853422"]
        ),
        post(
            "tikomni_douyin_item_analysis",
            ["item_id": "1", "aspect": "audience_others"],
            "fetch_item_audience_others",
            body: ["item_id": "1"]
        ),
        post(
            "tikomni_douyin_item_analysis",
            ["item_id": "1", "aspect": "play_source"],
            "fetch_item_play_source",
            body: ["item_id": "1"]
        ),
        post(
            "tikomni_douyin_item_analysis",
            ["item_id": "1", "aspect": "search_keywords"],
            "fetch_item_search_keyword",
            body: ["item_id": "1"]
        ),
        post(
            "tikomni_douyin_item_analysis",
            ["item_id": "1", "aspect": "watch_trend", "analysis_type": 7],
            "fetch_item_watch_trend",
            body: ["item_id": "1", "analysis_type": 7]
        ),
        post(
            "tikomni_douyin_item_analysis",
            ["item_id": "1", "aspect": "danmaku"],
            "fetch_item_danmaku_analysis",
            body: ["item_id": "1"]
        ),
        post(
            "tikomni_douyin_account_analysis",
            ["start_date": "20250713", "end_date": "20251011", "view": "involved_vertical"],
            "fetch_item_analysis_involved_vertical",
            body: ["start_date": "20250713", "end_date": "20251011"]
        ),
        post(
            "tikomni_douyin_account_analysis",
            [
                "start_date": "20250713", "end_date": "20251011", "view": "overview", "primary_verticals": ["动物"],
                "genres": [1, 5],
            ],
            "fetch_item_analysis_overview",
            body: ["start_date": "20250713", "end_date": "20251011", "primary_verticals": ["动物"], "genres": [1, 5]]
        ),
        post(
            "tikomni_douyin_account_analysis",
            [
                "start_date": "20250713", "end_date": "20251011", "view": "item_performance",
                "primary_verticals": ["美食"], "metric_type": 2,
            ],
            "fetch_item_analysis_item_performance",
            body: ["start_date": "20250713", "end_date": "20251011", "primary_verticals": ["美食"], "metric_type": 2]
        ),
        post(
            "tikomni_douyin_live_history",
            ["start_date": "2025-09-11", "end_date": "2025-10-11", "limit": 50, "need_living": 0],
            "fetch_live_room_history_list",
            body: ["start_date": "2025-09-11", "end_date": "2025-10-11", "limit": 50, "need_living": 0]
        ),
        UpstreamExpectation(
            "tikomni_call_route",
            [
                "path": "/api/u1/v1/douyin/web/fetch_one_video", "method": "GET",
                "query": ["aweme_id": "7559536212910853422"],
            ],
            "GET",
            "/api/u1/v1/douyin/web/fetch_one_video",
            query: ["aweme_id": "7559536212910853422"],
            headers: auth
        ),
        UpstreamExpectation(
            "tikomni_call_route",
            [
                "path": "/api/u2/v1/tiktok/app/fetch_user", "method": "POST",
                "body": ["unique_id": "creator", "count": 3],
            ],
            "POST",
            "/api/u2/v1/tiktok/app/fetch_user",
            body: ["unique_id": "creator", "count": 3],
            headers: auth
        ),
    ]

    @Test("each tool makes its documented request", arguments: requests)
    func exactUpstreamRequest(_ expectation: UpstreamExpectation) async throws {
        try await expectation.verify(prefix: "/tikomni")
    }

    @Test func exportIsSavedAsAFileAndLinked() async throws {
        try await withHarness(secrets: [Self.cookie]) { harness in
            let result = try await harness.server.callTool(
                "tikomni_douyin_item_list_download",
                [
                    "cookie": .string(Self.cookie), "min_cursor": 1_752_336_000_000, "max_cursor": 1_760_198_399_000,
                    "type_filters": [1, 8],
                ]
            )
            #expect(!result.isToolError, "\(result.resultText)")
            let request = try #require(harness.upstream.callRequests.first)
            #expect(request.decodedPath == "/tikomni" + Self.prefix + "fetch_item_list_download")
            #expect((try? JSONParser.parse(request.body))?["type_filters"] == [1, 8])
            let path = try #require(result["structuredContent"]?["data"]?["saved_to"]?.stringValue)
            #expect(FileManager.default.contents(atPath: path)?.prefix(4) == Data([0x50, 0x4B, 0x03, 0x04]))
            let link = result["content"]?.arrayValue?.first { $0["type"] == "resource_link" }
            #expect(link?["uri"]?.stringValue?.hasPrefix("file://") == true)
            #expect(link?["mimeType"] == "application/vnd.ms-excel")
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    @Test func cookieComesFromTheEnvironmentWhenNotPassed() async throws {
        try await withHarness(
            environment: ["TIKOMNI_DOUYIN_COOKIE": Self.environmentCookie],
            secrets: [Self.environmentCookie]
        ) { harness in
            let result = try await harness.server.callTool("tikomni_douyin_author_diagnosis")
            #expect(!result.isToolError, "\(result.resultText)")
            #expect(harness.upstream.callRequests.first?.bodyObject?["cookie"] as? String == Self.environmentCookie)
        }
    }

    @Test func missingCookieIsAnArgumentErrorNamingTheVariable() async throws {
        try await withHarness { harness in
            let result = try await harness.server.callTool("tikomni_douyin_author_diagnosis")
            #expect(result.isToolError)
            #expect(result.resultText.contains("Missing required argument 'cookie'"))
            #expect(result.resultText.contains("TIKOMNI_DOUYIN_COOKIE"))
            #expect(harness.upstream.callRequests.isEmpty)
        }
    }

    @Test func theCookieNeverReachesStdoutOrStderr() async throws {
        // The stand-in echoes `params` (cookie included), as TikOmni does; every stream is
        // checked by `finish(secrets:)`, including after an error and a wrong-typed cookie.
        try await withHarness(
            environment: ["TIKOMNI_DOUYIN_COOKIE": Self.environmentCookie],
            secrets: [Self.cookie, Self.environmentCookie]
        ) { harness in
            for tool in ["tikomni_douyin_author_diagnosis", "tikomni_douyin_item_analysis"] {
                let arguments: JSONValue =
                    tool == "tikomni_douyin_author_diagnosis"
                    ? ["cookie": .string(Self.cookie)]
                    : ["cookie": .string(Self.cookie), "item_id": "1", "aspect": "danmaku"]
                let result = try await harness.server.callTool(tool, arguments)
                #expect(!result.isToolError)
                #expect(result["structuredContent"]?["params"] == nil)
            }
            _ = try await harness.server.callTool(
                "tikomni_douyin_item_analysis",
                ["item_id": "1", "aspect": "danmaku"]
            )
            let wrongType = try await harness.server.callTool(
                "tikomni_douyin_author_diagnosis",
                ["cookie": ["nested": .string(Self.cookie)]]
            )
            #expect(wrongType.isToolError)
            let echoed = harness.upstream.callRequests.compactMap { $0.bodyObject?["cookie"] as? String }
            #expect(Set(echoed) == [Self.cookie, Self.environmentCookie], "the cookie did reach the provider")
        }
    }

    @Test func diagnosisReadingOfTheDocumentedExample() async throws {
        try await withHarness(secrets: [Self.cookie]) { harness in
            let result = try await harness.server.callTool(
                "tikomni_douyin_author_diagnosis",
                ["cookie": .string(Self.cookie)]
            )
            let text = result.resultText
            #expect(
                text.contains(
                    "- Interact, engagement index (互动指数): 0.0052 (similar creators average 0.0909); AuthorRank 26.3%, SimilarRank 51.7%."
                ),
                "\(text)"
            )
            #expect(text.contains("- NewFans, net new followers (粉丝净增量): 2; AuthorRank 79.2%, SimilarRank 63.4%."))
            #expect(text.contains("- PlayCnt, video views (视频播放量): 192; AuthorRank 84.3%, SimilarRank 51.3%."))
            #expect(
                text.contains(
                    "- PlayFinishRatio, completion rate (视频完播率): 15.45%; AuthorRank 38.5%, SimilarRank 50.9%."
                )
            )
            #expect(
                text.contains("- PublishActivation, posts published (投稿活跃度): 2; AuthorRank 73.5%, SimilarRank 56.8%.")
            )
            #expect(text.contains("No metric has both ranks below 50%"))
            let reading = result["structuredContent"]?["reading"]
            #expect(reading?["needs_work"] == [])
            #expect(reading?["metrics"]?.arrayValue?.count == 5)
            #expect(result["structuredContent"]?["data"]?["data"]?["Interact"]?["SimilarCount"] == 1_494_654_282)
        }
    }

    @Test func diagnosisFlagsMetricsWithBothRanksBelowHalf() async throws {
        var example = DocumentedResponses.tikOmniDiagnosisExample
        example["PlayFinishRatio"] = ["OwnValue": 0.1545, "AuthorRank": 0.3851, "SimilarRank": 0.4086]
        example["Interact"] = ["OwnValue": 0.0052, "AuthorRank": 0.2633, "SimilarRank": 0.1169, "SimilarValue": 0.0909]
        let response = StubResponse.json(
            200,
            ["code": 200, "request_id": "r-1", "data": ["code": 0, "data": example] as [String: Any]]
        )
        try await withHarness(upstream: .always(response), secrets: [Self.cookie]) { harness in
            let result = try await harness.server.callTool(
                "tikomni_douyin_author_diagnosis",
                ["cookie": .string(Self.cookie)]
            )
            #expect(
                result.resultText.contains("To work on (both ranks below 50%): Interact, PlayFinishRatio."),
                "\(result.resultText)"
            )
            #expect(result.resultText.contains("SimilarRank 40.9% ← both below 50%: work on this."))
            #expect(result.resultText.contains("Tip for PlayFinishRatio: the first 3 seconds"))
            #expect(result["structuredContent"]?["reading"]?["needs_work"] == ["Interact", "PlayFinishRatio"])
        }
    }

    @Test func errorEnvelopeQuotesTheMessageAndRequestID() async throws {
        try await withHarness(environment: ["TIKOMNI_API_KEY": ""], secrets: [Self.cookie]) { harness in
            // Without a key the call never leaves: the variable is named.
            let missing = try await harness.server.callTool(
                "tikomni_douyin_author_diagnosis",
                ["cookie": .string(Self.cookie)]
            )
            #expect(missing.resultText.contains("TIKOMNI_API_KEY is not set"))
        }
        let failure = StubResponse.json(
            403,
            [
                "code": 403, "request_id": "req-77", "message": "Forbidden", "message_zh": "无权访问该接口",
                "params": ["cookie": Self.cookie],
            ]
        )
        try await withHarness(upstream: .always(failure), secrets: [Self.cookie]) { harness in
            let result = try await harness.server.callTool(
                "tikomni_douyin_author_diagnosis",
                ["cookie": .string(Self.cookie)]
            )
            #expect(result.isToolError)
            #expect(result.resultText.contains("access denied (HTTP 403)"))
            #expect(result.resultText.contains("无权访问该接口"))
            #expect(result.resultText.contains("Request id: req-77"))
            #expect(result["structuredContent"]?["error"]?["request_id"] == "req-77")
        }
        let businessError = StubResponse.json(
            200,
            ["code": 402, "request_id": "req-78", "message": "Insufficient balance", "message_zh": "余额不足"]
        )
        try await withHarness(upstream: .always(businessError), secrets: [Self.cookie]) { harness in
            let result = try await harness.server.callTool(
                "tikomni_douyin_author_diagnosis",
                ["cookie": .string(Self.cookie)]
            )
            #expect(result.resultText.contains("insufficient balance"))
            #expect(result.resultText.contains("余额不足"))
        }
    }

    @Test func anExpiredCookieSaysSo() async throws {
        try await withHarness(secrets: [DocumentedResponses.expiredCookie]) { harness in
            let result = try await harness.server.callTool(
                "tikomni_douyin_author_diagnosis",
                ["cookie": .string(DocumentedResponses.expiredCookie)]
            )
            #expect(result.isToolError)
            #expect(result.resultText.contains("用户未登录"))
            #expect(result.resultText.contains("the cookie expired"))
            #expect(result.resultText.contains("TikOmni still bills this call"))
        }
    }

    @Test func douyinsOwnFailureCodeInsideA200IsAToolErrorThatSaysItIsBilled() async throws {
        let reply: [String: Any] = ["code": 2_190_008, "message": "登录已过期", "data": NSNull()]
        let response = StubResponse.json(200, ["code": 200, "request_id": "req-79", "data": reply])
        try await withHarness(upstream: .always(response), secrets: [Self.cookie]) { harness in
            let result = try await harness.server.callTool(
                "tikomni_douyin_author_diagnosis",
                ["cookie": .string(Self.cookie)]
            )
            #expect(result.isToolError)
            #expect(result.resultText.contains("Douyin says: 登录已过期"), "\(result.resultText)")
            #expect(result.resultText.contains("TikOmni still bills this call"))
            #expect(result["structuredContent"]?["error"]?["code"] == "douyin_code_2190008")
        }
    }

    @Test func theCacheURLIsShownWithItsValidityInBothForms() async throws {
        let envelope = try JSONParser.parse(SeedFixtures.text("tikomni/envelope.response.json") ?? "")
        let cacheURL = try #require(envelope["cache_url"]?.stringValue)
        try await withHarness(secrets: [Self.cookie]) { harness in
            let result = try await harness.server.callTool(
                "tikomni_douyin_author_diagnosis",
                ["cookie": .string(Self.cookie)]
            )
            #expect(result.resultText.contains("\(cacheURL) serves it again for 24 h"), "\(result.resultText)")
            let upstream = result["structuredContent"]?["upstream"]
            #expect(upstream?["cache_url"] == .string(cacheURL))
            #expect(upstream?["cache_valid_hours"] == 24)
        }
    }

    @Test func theSeedsNinetyDayExampleIsAcceptedAndOneDayMoreIsNot() async throws {
        try await withHarness(secrets: [Self.cookie]) { harness in
            let example: JSONValue = [
                "cookie": .string(Self.cookie), "start_date": "20250713", "end_date": "20251011",
                "view": "involved_vertical",
            ]
            let accepted = try await harness.server.callTool("tikomni_douyin_account_analysis", example)
            #expect(!accepted.isToolError, "\(accepted.resultText)")
            var longer = example.objectValue ?? [:]
            longer["end_date"] = "20251012"
            let refused = try await harness.server.callTool("tikomni_douyin_account_analysis", .object(longer))
            #expect(refused.isToolError)
            #expect(harness.upstream.callRequests.count == 1)
        }
    }

    static let argumentCases: [ArgumentCase] = [
        ArgumentCase(
            tool: "tikomni_douyin_item_analysis",
            arguments: ["item_id": "1", "aspect": "danmaku", "analysis_type": 2],
            fragment: "'analysis_type' applies only when aspect is watch_trend"
        ),
        ArgumentCase(
            tool: "tikomni_douyin_item_analysis",
            arguments: ["item_id": "1", "aspect": "watch_trend", "analysis_type": 3],
            fragment: "'analysis_type' must be one of 1, 2, 7; got 3"
        ),
        ArgumentCase(
            tool: "tikomni_douyin_account_analysis",
            arguments: ["start_date": "20250713", "end_date": "20251011", "view": "overview"],
            fragment: "Missing required argument 'primary_verticals'"
        ),
        ArgumentCase(
            tool: "tikomni_douyin_account_analysis",
            arguments: ["start_date": "2025-07-13", "end_date": "20251011", "view": "involved_vertical"],
            fragment: "written YYYYMMDD"
        ),
        ArgumentCase(
            tool: "tikomni_douyin_account_analysis",
            arguments: ["start_date": "20250701", "end_date": "20251011", "view": "involved_vertical"],
            fragment: "covers 103 days; the provider serves at most 91 days"
        ),
        ArgumentCase(
            tool: "tikomni_douyin_account_analysis",
            arguments: [
                "start_date": "20250713", "end_date": "20251011", "view": "involved_vertical", "metric_type": 1,
            ],
            fragment: "'metric_type' applies only when view is item_performance"
        ),
        ArgumentCase(
            tool: "tikomni_douyin_live_history",
            arguments: ["start_date": "20250911", "end_date": "2025-10-11"],
            fragment: "written YYYY-MM-DD"
        ),
        ArgumentCase(
            tool: "tikomni_douyin_item_list",
            arguments: ["start_time": 1_760_198_399_000, "end_time": 1_758_988_800_000],
            fragment: "'start_time' (1760198399000) must be less than 'end_time'"
        ),
        ArgumentCase(
            tool: "tikomni_douyin_item_list",
            arguments: ["start_time": 1, "end_time": 2, "order_by": 27],
            fragment: "'order_by' must be between 1 and 26"
        ),
        ArgumentCase(
            tool: "tikomni_call_route",
            arguments: ["path": "https://evil.example/api/u1/v1/x", "method": "GET"],
            fragment: "'path' must be a route path under /api/u1/v1/ or /api/u2/v1/"
        ),
        ArgumentCase(
            tool: "tikomni_call_route",
            arguments: ["path": "/api/u1/v1/douyin/../../admin", "method": "GET"],
            fragment: "'path' must be a route path"
        ),
        ArgumentCase(
            tool: "tikomni_call_route",
            arguments: ["path": "/api/u1/v1/douyin/web/x?token=1", "method": "GET"],
            fragment: "'path' must be a route path"
        ),
        ArgumentCase(
            tool: "tikomni_call_route",
            arguments: ["path": "/api/v1/internal", "method": "GET"],
            fragment: "'path' must be a route path"
        ),
        ArgumentCase(
            tool: "tikomni_call_route",
            arguments: ["path": "/api/u1/v1/douyin/web/x", "method": "DELETE"],
            fragment: "'method' must be one of GET, POST"
        ),
        ArgumentCase(
            tool: "tikomni_call_route",
            arguments: ["path": "/api/u1/v1/douyin/web/x", "method": "GET", "body": ["a": 1]],
            fragment: "'body' applies only when method is POST"
        ),
    ]

    @Test("rejects before any request", arguments: argumentCases)
    func rejectsBadArguments(_ testCase: ArgumentCase) async throws {
        try await testCase.expectRejected(
            environment: ["TIKOMNI_DOUYIN_COOKIE": Self.environmentCookie],
            secrets: [Self.environmentCookie]
        )
    }

    @Test func rawRoutesAreHiddenInReadOnlyMode() async throws {
        try await withHarness(environment: ["SOCIAL_DATA_MCP_READ_ONLY": "1"]) { harness in
            let names =
                try await harness.server.request("tools/list")["result"]?["tools"]?.arrayValue?.compactMap {
                    $0["name"]?.stringValue
                } ?? []
            #expect(!names.contains("tikomni_call_route"))
            #expect(names.contains("tikomni_douyin_author_diagnosis"))
        }
    }
}
