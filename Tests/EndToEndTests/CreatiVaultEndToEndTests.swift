import Foundation
import Locking
import LoopbackStandIn
import Providers
import Testing
import Wire

@Suite("CreatiVault end to end")
struct CreatiVaultEndToEndTests {
    static let auth = [
        "X-API-Key": Harness.keys["CREATIVAULT_API_KEY"] ?? "",
        "X-User-Identity": Harness.keys["CREATIVAULT_USER_IDENTITY"] ?? "",
        "Content-Type": "application/json",
    ]

    static func post(
        _ tool: String,
        _ arguments: JSONValue,
        _ path: String,
        body: JSONValue,
        authenticated: Bool = true
    ) -> UpstreamExpectation {
        UpstreamExpectation(
            tool,
            arguments,
            "POST",
            path,
            body: body,
            headers: authenticated ? auth : ["Content-Type": "application/json"],
            absentHeaders: authenticated ? [] : ["X-API-Key", "X-User-Identity"]
        )
    }

    static let requests: [UpstreamExpectation] = [
        post(
            "creativault_search_creators",
            [
                "platform": "tiktok", "keyword": "beauty", "country_code": "US", "followers_cnt_gte": 10_000, "page": 1,
                "size": 20,
                "sort_field": "followers_cnt", "sort_order": "desc", "service_level": "S2", "lang": "en",
            ],
            "/creators/tiktok/search",
            body: [
                "keyword": "beauty", "country_code": "US", "followers_cnt_gte": 10_000, "page": 1, "size": 20,
                "sort_field": "followers_cnt",
                "sort_order": "desc", "service_level": "S2", "lang": "en",
            ]
        ),
        post(
            "creativault_search_creators",
            [
                "platform": "youtube", "country_code": "US", "followers_cnt_gte": 50_000, "sort_order": "desc",
                "service_level": "S2", "lang": "en",
            ],
            "/creators/youtube/search",
            body: [
                "country_code": "US", "followers_cnt_gte": 50_000, "sort_order": "desc", "service_level": "S2",
                "lang": "en",
            ]
        ),
        // The seed restricts no filter by platform: "beauty YouTubers" reaches CreatiVault.
        post(
            "creativault_search_creators",
            ["platform": "youtube", "keyword": "beauty"],
            "/creators/youtube/search",
            body: ["keyword": "beauty"]
        ),
        post(
            "creativault_search_creators",
            [
                "platform": "instagram", "country_code": "US", "followers_cnt_gte": 10_000, "is_product_kol": true,
                "service_level": "S1",
            ],
            "/creators/instagram/search",
            body: ["country_code": "US", "followers_cnt_gte": 10_000, "is_product_kol": true, "service_level": "S1"]
        ),
        post(
            "creativault_find_lookalikes",
            [
                "username": "creator_demo", "platform": "tiktok", "target_region": "US", "limit": 10,
                "follower_min": 10_000, "lang": "en",
            ],
            "/creators/lookalike",
            body: [
                "username": "creator_demo", "platform": "tiktok", "target_region": "US", "limit": 10,
                "follower_min": 10_000, "lang": "en",
            ]
        ),
        post(
            "creativault_submit_collection",
            [
                "task_type": "LINK_BATCH", "platform": "tiktok",
                "values": ["https://www.tiktok.com/@creator1", "https://www.tiktok.com/@creator2"],
                "task_name": "Q1 Creator Collection", "webhook_url": "https://your-server.com/webhook/collection",
            ],
            "/collection/tasks/submit",
            body: [
                "task_type": "LINK_BATCH", "platform": "tiktok",
                "values": ["https://www.tiktok.com/@creator1", "https://www.tiktok.com/@creator2"],
                "task_name": "Q1 Creator Collection", "webhook_url": "https://your-server.com/webhook/collection",
            ]
        ),
        post(
            "creativault_submit_collection",
            ["task_type": "FILE_UPLOAD", "platform": "tiktok", "values": ["creator1", "creator2", "creator3"]],
            "/collection/tasks/submit",
            body: ["task_type": "FILE_UPLOAD", "platform": "tiktok", "values": ["creator1", "creator2", "creator3"]]
        ),
        post(
            "creativault_submit_keyword_collection",
            [
                "platform": "tiktok", "keywords": ["beauty tips", "skincare routine"],
                "task_name": "Keyword Collection",
            ],
            "/collection/tasks/keyword-submit",
            body: [
                "platform": "tiktok", "keywords": ["beauty tips", "skincare routine"],
                "task_name": "Keyword Collection",
            ]
        ),
        post(
            "creativault_get_task_status",
            ["task_id": "task_20260315_abc123"],
            "/collection/tasks/status",
            body: ["task_id": "task_20260315_abc123"]
        ),
        post(
            "creativault_get_task_data",
            ["task_id": "task_20260315_abc123", "page": 1, "size": 20],
            "/collection/tasks/data",
            body: ["task_id": "task_20260315_abc123", "page": 1, "size": 20]
        ),
        post(
            "creativault_export_task",
            ["task_id": "task_20260315_abc123", "format": "xlsx"],
            "/collection/tasks/export",
            body: ["task_id": "task_20260315_abc123", "format": "xlsx"]
        ),
        post(
            "creativault_get_download_url",
            ["file_id": "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6"],
            "/files/download-url",
            body: ["file_id": "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6"]
        ),
        post(
            "creativault_verify_webhook",
            ["challenge": "test_connectivity_12345"],
            "/webhook/verify",
            body: ["challenge": "test_connectivity_12345"],
            authenticated: false
        ),
    ]

    @Test("each tool makes its documented request", arguments: requests)
    func exactUpstreamRequest(_ expectation: UpstreamExpectation) async throws {
        try await expectation.verify(prefix: "/creativault/openapi/v1")
    }

    @Test func withoutABaseURLTheErrorNamesTheVariable() async throws {
        try await withHarness(omitting: ["CREATIVAULT_BASE_URL"]) { harness in
            let result = try await harness.server.callTool("creativault_search_creators", ["platform": "tiktok"])
            #expect(result.isToolError)
            #expect(result.resultText.contains("CREATIVAULT_BASE_URL is not set"))
            #expect(result.resultText.contains("https://HOST/openapi/v1"))
            #expect(harness.upstream.callRequests.isEmpty)
        }
    }

    @Test func withoutAUserIdentityTheErrorNamesTheVariable() async throws {
        try await withHarness(omitting: ["CREATIVAULT_USER_IDENTITY"]) { harness in
            let result = try await harness.server.callTool("creativault_search_creators", ["platform": "tiktok"])
            #expect(result.resultText.contains("CREATIVAULT_USER_IDENTITY is not set"))
            #expect(harness.upstream.callRequests.isEmpty)
            // The public webhook check needs neither key nor identity.
            let verify = try await harness.server.callTool("creativault_verify_webhook", ["challenge": "ping"])
            #expect(!verify.isToolError)
        }
    }

    @Test func metaIsSurfacedInTheTextAndStructuredContent() async throws {
        try await withHarness { harness in
            let result = try await harness.server.callTool(
                "creativault_search_creators",
                ["platform": "tiktok", "size": 20, "service_level": "S2"]
            )
            let text = result.resultText
            #expect(text.contains("Page 1 of 60 (20 per page, 1200 in all); ask for page 2 for more."), "\(text)")
            #expect(text.contains("CreatiVault credits consumed: 24; quota remaining: unlimited; request id"))
            #expect(text.contains("Cost: 24 credits (as reported by CreatiVault)"))
            let structured = try #require(result["structuredContent"])
            #expect(structured["upstream"]?["credits_consumed"] == 24)
            #expect(structured["upstream"]?["total"] == 1200)
            #expect(structured["upstream"]?["quota_remaining"] == -1)
            #expect(structured["upstream"]?["request_id"]?.stringValue?.hasPrefix("req_") == true)
            #expect(structured["billing"]?["cost"] == 24.0)
            #expect(structured["billing"]?["currency"] == "CREDITS")
            #expect(structured["billing"]?["session_spent_credits"] == 24.0)
        }
    }

    static let argumentCases: [ArgumentCase] = [
        ArgumentCase(
            tool: "creativault_search_creators",
            arguments: ["platform": "tiktok", "service_level": "S4"],
            fragment: "'service_level' must be one of S1, S2, S3"
        ),
        ArgumentCase(
            tool: "creativault_search_creators",
            arguments: ["platform": "tiktok", "sort_order": "down"],
            fragment: "'sort_order' must be one of asc, desc"
        ),
        ArgumentCase(
            tool: "creativault_search_creators",
            arguments: ["platform": "weibo"],
            fragment: "'platform' must be one of tiktok, youtube, instagram"
        ),
        ArgumentCase(
            tool: "creativault_submit_collection",
            arguments: [
                "task_type": "FILE_UPLOAD", "platform": "tiktok", "values": ["a"],
                "webhook_url": "http://your-server.com/hook",
            ],
            fragment: "'webhook_url' must be an absolute https:// URL"
        ),
        ArgumentCase(
            tool: "creativault_submit_keyword_collection",
            arguments: ["platform": "tiktok", "keywords": ["a"], "webhook_url": "your-server.com/hook"],
            fragment: "'webhook_url' must be an absolute https:// URL"
        ),
        ArgumentCase(
            tool: "creativault_submit_collection",
            arguments: ["task_type": "FILE_UPLOAD", "platform": "tiktok", "values": []],
            fragment: "'values' must have 1 to 1000 elements"
        ),
        ArgumentCase(
            tool: "creativault_get_task_status",
            arguments: ["task_id": "t", "wait_seconds": 51],
            fragment: "'wait_seconds' must be between 0 and 50"
        ),
        ArgumentCase(
            tool: "creativault_export_task",
            arguments: ["task_id": "t", "format": "pdf"],
            fragment: "'format' must be one of xlsx;"
        ),
    ]

    @Test("rejects before any request", arguments: argumentCases)
    func rejectsBadArguments(_ testCase: ArgumentCase) async throws {
        try await testCase.expectRejected()
    }

    @Test func submitsAreNeverRetriedAndAreAnnotatedAsCreatingWork() async throws {
        try await withHarness(
            upstream: .answering { _ in
                .json(503, ["success": false, "error": ["code": "UNAVAILABLE", "message": "maintenance"]])
            }
        ) { harness in
            let result = try await harness.server.callTool(
                "creativault_submit_keyword_collection",
                ["platform": "tiktok", "keywords": ["beauty"]]
            )
            #expect(result.isToolError)
            #expect(
                harness.upstream.callRequests.count == 1,
                "a submit that may have reached CreatiVault is not sent twice"
            )
            let tools = try await harness.server.request("tools/list")["result"]?["tools"]?.arrayValue ?? []
            for name in ["creativault_submit_collection", "creativault_submit_keyword_collection"] {
                let annotations = tools.first { $0["name"] == .string(name) }?["annotations"]
                #expect(annotations?["readOnlyHint"] == false)
                // Left out: MCP's default, false.
                #expect(annotations?["idempotentHint"] == nil)
            }
        }
    }

    @Test func waitingForATaskPollsWithProgressUntilItCompletes() async throws {
        try await withHarness { harness in
            let result = try await harness.server.callTool(
                "creativault_get_task_status",
                ["task_id": "task_20260315_abc123", "wait_seconds": 30],
                meta: ["progressToken": "poll-1"]
            )
            #expect(!result.isToolError, "\(result.resultText)")
            #expect(result["structuredContent"]?["data"]?["status"] == "completed")
            #expect(
                result.resultText.contains("Polled the status \(DocumentedResponses.creatiVaultPollsToComplete) times")
            )
            #expect(result.resultText.contains("Fetch the results with creativault_get_task_data"))
            #expect(harness.upstream.callRequests.count == DocumentedResponses.creatiVaultPollsToComplete)
            let progress = harness.server.messages.filter { $0["method"] == "notifications/progress" }
            #expect(progress.count == DocumentedResponses.creatiVaultPollsToComplete)
            let values = progress.compactMap { $0["params"]?["progress"]?.doubleValue }
            #expect(values == values.sorted() && Set(values).count == values.count, "progress only increases")
            #expect(progress.last?["params"]?["total"] == 3.0)
            #expect(progress.last?["params"]?["progress"] == 3.0)
            #expect(progress.allSatisfy { $0["params"]?["progressToken"] == "poll-1" })
        }
    }

    @Test func withoutWaitTheStatusIsCheckedOnce() async throws {
        try await withHarness { harness in
            let result = try await harness.server.callTool(
                "creativault_get_task_status",
                ["task_id": "task_20260315_abc123"]
            )
            #expect(result["structuredContent"]?["data"]?["status"] == "running")
            #expect(result.resultText.contains("(not finished)"))
            #expect(harness.upstream.callRequests.count == 1)
        }
    }

    @Test func cancellingAWaitStopsThePolling() async throws {
        try await withHarness { harness in
            let id = harness.server.nextID()
            harness.server.send([
                "jsonrpc": "2.0", "id": .int(id), "method": "tools/call",
                "params": [
                    "name": "creativault_get_task_status",
                    "arguments": [
                        "task_id": .string(DocumentedResponses.neverEndingTaskPrefix + "_1"), "wait_seconds": 40,
                    ],
                    "_meta": ["progressToken": 7],
                ],
            ])
            _ = try await harness.server.message {
                $0["method"] == "notifications/progress" && $0["params"]?["progress"] == 2.0
            }
            harness.server.send([
                "jsonrpc": "2.0", "method": "notifications/cancelled", "params": ["requestId": .int(id)],
            ])
            let pollsAtCancel = harness.upstream.callRequests.count
            await #expect(throws: ServerProcess.Timeout.self) {
                _ = try await harness.server.response(to: .int(id), timeout: .seconds(3))
            }
            #expect(harness.upstream.callRequests.count <= pollsAtCancel + 1, "polling went on after the cancellation")
        }
    }

    @Test func providerErrorsQuoteTheMessageAndRequestID() async throws {
        let failure = StubResponse.json(
            403,
            [
                "success": false,
                "error": ["code": "FORBIDDEN", "message": "permission creators:tiktok:search required"],
                "meta": ["request_id": "req_9"],
            ]
        )
        try await withHarness(upstream: .always(failure)) { harness in
            let result = try await harness.server.callTool("creativault_search_creators", ["platform": "tiktok"])
            #expect(result.resultText.contains("access denied (HTTP 403)"))
            #expect(
                result.resultText.contains(
                    #"CreatiVault said: "permission creators:tiktok:search required" [FORBIDDEN]"#
                )
            )
            #expect(result.resultText.contains("Request id: req_9"))
        }
        try await withHarness(environment: ["CREATIVAULT_USER_IDENTITY": "not-an-email"]) { harness in
            let result = try await harness.server.callTool("creativault_search_creators", ["platform": "tiktok"])
            #expect(result.resultText.contains("API key was refused (HTTP 401)"))
            #expect(result.resultText.contains("CREATIVAULT_USER_IDENTITY"))
        }
    }
}
