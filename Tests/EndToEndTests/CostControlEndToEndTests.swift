import Foundation
import Locking
import LoopbackStandIn
import Providers
import Testing
import ToolCall
import Wire

@Suite("Spend safety, cache and what the agent sees")
struct CostControlEndToEndTests {
    @Test func aCallWhoseWorstCaseWouldPassTheCeilingIsRefusedBeforeAnyRequest() async throws {
        try await withHarness(environment: ["SOCIAL_DATA_MCP_MAX_SPEND_CNY": "1"]) { harness in
            let refused = try await harness.server.callTool(
                "datanexus_list_authors",
                ["platform": "xiaohongshu", "keyword": "美妆"]
            )
            #expect(refused.isToolError)
            let text = refused.resultText
            #expect(text.contains("Refused before calling DataNexus: this server process's spend ceiling."), "\(text)")
            #expect(text.contains("could cost up to ¥1.60 (20 items × ¥0.08)"))
            #expect(text.contains("¥0.00 of the ¥1.00 limit is already spent, leaving ¥1.00"))
            #expect(text.contains("A call with page_size ≤ 12 would fit."))
            #expect(text.contains("raise SOCIAL_DATA_MCP_MAX_SPEND_CNY (or --max-spend-cny)"))
            #expect(refused["structuredContent"]?["error"]?["kind"] == "budget_exceeded")
            #expect(harness.upstream.callRequests.isEmpty)

            let fits = try await harness.server.callTool(
                "datanexus_list_authors",
                ["platform": "xiaohongshu", "keyword": "美妆", "page_size": 12]
            )
            #expect(!fits.isToolError)
            #expect(
                fits.resultText.contains("Session: ¥0.96 spent of the ¥1.00 ceiling (¥0.04 left)"),
                "\(fits.resultText)"
            )
            let over = try await harness.server.callTool("datanexus_get_author", ["platform": "douyin", "id": "1"])
            #expect(over.isToolError)
            #expect(over.resultText.contains("could cost up to ¥0.08"))
            #expect(harness.upstream.callRequests.count == 1)
        }
    }

    @Test func parallelCallsCannotJointlyPassTheCeiling() async throws {
        try await withHarness(environment: ["SOCIAL_DATA_MCP_MAX_SPEND_CNY": "2"]) { harness in
            let results = try await withThrowingTaskGroup(of: JSONValue.self) { group in
                for index in 0..<4 {
                    group.addTask {
                        try await harness.server.callTool(
                            "datanexus_list_works",
                            ["platform": "douyin", "keyword": .string("k\(index)"), "page_size": 10]
                        )
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter { !$0.isToolError }.count == 2, "¥0.80 each: two fit under ¥2.00")
            #expect(harness.upstream.callRequests.count == 2)
            let usage = try await harness.server.callTool("social_data_usage")
            #expect(usage["structuredContent"]?["data"]?["overall"]?["spent_cny"] == 1.6)
        }
    }

    @Test func everyResultStatesItsCostAndTheRunningTotal() async throws {
        try await withHarness { harness in
            var expected = 0.0
            let calls: [(String, JSONValue, Double)] = [
                ("datanexus_get_author", ["platform": "douyin", "id": "1"], 0.08),
                ("datanexus_list_authors", ["platform": "douyin", "page_size": 3], 0.24),
                ("datanexus_get_catalog", [:], 0),
                ("datanexus_generate_image", ["prompt": "猫"], 0.5),
                ("geo_list_brands", [:], 0),
                ("datatrust_get_model", ["id": "7"], 3.0),
            ]
            for (tool, arguments, cost) in calls {
                expected += cost
                let result = try await harness.server.callTool(tool, arguments)
                let billing = result["structuredContent"]?["billing"]
                #expect(billing?["cost"]?.doubleValue == cost, "\(tool)")
                #expect(abs((billing?["session_spent_cny"]?.doubleValue ?? -1) - expected) < 0.0001, "\(tool)")
                #expect(result.resultText.contains("Cost: "))
                #expect(
                    result.resultText.contains("Session: ¥" + String(format: "%.2f", expected) + " spent"),
                    "\(result.resultText)"
                )
            }
            let failure = try await harness.server.callTool("datanexus_get_author", ["platform": "weibo", "id": "1"])
            #expect(
                failure["structuredContent"]?["billing"]?["session_spent_cny"]?.doubleValue ?? 0 > 3.8,
                "errors state the total too"
            )
        }
    }

    @Test func identicalReadsReachTheProviderOnceAndCostNothingTheSecondTime() async throws {
        try await withHarness { harness in
            let first = try await harness.server.callTool(
                "datanexus_get_author",
                ["platform": "douyin", "id": "1", "dry_run": false]
            )
            let second = try await harness.server.callTool("datanexus_get_author", ["id": "1", "platform": "douyin"])
            #expect(harness.upstream.callRequests.count == 1)
            #expect(first["structuredContent"]?["billing"]?["cached"] == false)
            #expect(second["structuredContent"]?["billing"]?["cached"] == true)
            #expect(second["structuredContent"]?["billing"]?["cost"] == 0.0)
            #expect(second["structuredContent"]?["data"] == first["structuredContent"]?["data"])
            #expect(second.resultText.contains("answered from cache"))
            let fresh = try await harness.server.callTool(
                "datanexus_get_author",
                ["platform": "douyin", "id": "1", "max_age": 0]
            )
            #expect(fresh["structuredContent"]?["billing"]?["cached"] == false)
            #expect(harness.upstream.callRequests.count == 2, "max_age: 0 fetches again")
            let usage = try await harness.server.callTool("social_data_usage")
            #expect(usage["structuredContent"]?["data"]?["by_tool"]?["datanexus_get_author"]?["cache_hits"] == 1)
            #expect(usage["structuredContent"]?["data"]?["overall"]?["spent_cny"] == 0.16)
        }
    }

    @Test func writesPollsAndErrorsAreNeverCached() async throws {
        let calls = Locked(0)
        let documented = DocumentedResponses.makeHandler()
        try await withHarness(
            upstream: .answering { request in
                if request.path.contains("/authors/") {
                    let count = calls.withLock { value in
                        value += 1
                        return value
                    }
                    if count == 1 { return .json(404, ["success": false, "error": "not yet"]) }
                }
                return documented(request)
            }
        ) { harness in
            for _ in 0..<2 { _ = try await harness.server.callTool("datanexus_generate_image", ["prompt": "猫"]) }
            for _ in 0..<2 { _ = try await harness.server.callTool("creativault_get_task_status", ["task_id": "t1"]) }
            let failed = try await harness.server.callTool("datanexus_get_author", ["platform": "douyin", "id": "9"])
            let retried = try await harness.server.callTool("datanexus_get_author", ["platform": "douyin", "id": "9"])
            #expect(failed.isToolError && !retried.isToolError)
            let paths = harness.upstream.callRequests.map(\.decodedPath)
            #expect(paths.filter { $0.hasSuffix("/images/generations") }.count == 2)
            #expect(paths.filter { $0.hasSuffix("/collection/tasks/status") }.count == 2)
            #expect(paths.filter { $0.hasSuffix("/authors/9") }.count == 2)
        }
    }

    @Test func cacheTTLZeroTurnsTheCacheOff() async throws {
        try await withHarness(environment: ["SOCIAL_DATA_MCP_CACHE_TTL": "0"]) { harness in
            for _ in 0..<3 { _ = try await harness.server.callTool("geo_list_brands") }
            #expect(harness.upstream.callRequests.count == 3)
        }
    }

    @Test func dryRunQuotesTheWorstCaseAndSendsNothing() async throws {
        try await withHarness(environment: ["SOCIAL_DATA_MCP_MAX_SPEND_CNY": "5"]) { harness in
            let quote = try await harness.server.callTool(
                "datanexus_list_authors",
                ["platform": "douyin", "page_size": 100, "dry_run": true]
            )
            #expect(!quote.isToolError)
            #expect(quote.resultText.contains("no paid request was sent to DataNexus and nothing was spent"))
            #expect(quote.resultText.contains("Worst case for these arguments: ¥8.00 (100 items × ¥0.08)"))
            #expect(quote.resultText.contains("this call would be refused"))
            #expect(quote["structuredContent"]?["worst_case"] == 8.0)
            let image = try await harness.server.callTool("datanexus_generate_image", ["prompt": "猫", "dry_run": true])
            #expect(image["structuredContent"]?["worst_case"] == 0.5)
            let credits = try await harness.server.callTool(
                "creativault_search_creators",
                ["platform": "tiktok", "dry_run": true]
            )
            #expect(credits.resultText.contains("only known after the call"))
            #expect(harness.upstream.callRequests.isEmpty)
        }
    }

    @Test func creditsHaveTheirOwnCeiling() async throws {
        try await withHarness(environment: ["SOCIAL_DATA_MCP_MAX_CREDITS": "30"]) { harness in
            let first = try await harness.server.callTool(
                "creativault_search_creators",
                ["platform": "tiktok", "size": 20, "service_level": "S2"]
            )
            #expect(!first.isToolError)
            #expect(
                first.resultText.contains("24 credits spent of the 30 credits ceiling (6 credits left)"),
                "\(first.resultText)"
            )
            // Credits are charged afterwards: the next call holds the largest charge recorded
            // for the tool (24 credits), which the 6 left cannot cover.
            let refused = try await harness.server.callTool(
                "creativault_search_creators",
                ["platform": "tiktok", "size": 10, "page": 2]
            )
            #expect(refused.isToolError)
            #expect(refused.resultText.contains("SOCIAL_DATA_MCP_MAX_CREDITS"))
            #expect(refused.resultText.contains("up to 24 credits"), "\(refused.resultText)")
            #expect(harness.upstream.callRequests.count == 1)
        }
    }

    @Test func toolsetsToolsAndReadOnlyFilterWhatIsListedAndCallable() async throws {
        func names(_ harness: Harness) async throws -> [String] {
            try await harness.server.request("tools/list")["result"]?["tools"]?.arrayValue?.compactMap {
                $0["name"]?.stringValue
            } ?? []
        }
        try await withHarness(environment: ["SOCIAL_DATA_MCP_TOOLSETS": "geo,datatrust"]) { harness in
            let listed = try await names(harness)
            #expect(listed.count == 9 + 7 + 2)
            #expect(
                listed.allSatisfy {
                    $0.hasPrefix("geo_") || $0.hasPrefix("datatrust_") || $0 == "social_data_usage"
                        || $0 == "social_data_read_result"
                }
            )
            let hidden = try await harness.server.request(
                "tools/call",
                ["name": "datanexus_get_author", "arguments": ["platform": "douyin", "id": "1"]]
            )
            #expect(hidden["error"]?["code"] == -32602)
            #expect(hidden["error"]?["message"]?.stringValue?.contains("SOCIAL_DATA_MCP_TOOLSETS") == true)
            #expect(harness.upstream.callRequests.isEmpty)
        }
        try await withHarness(arguments: ["--tools", "datanexus_get_author,geo_brand_trend"]) { harness in
            let listed = try await names(harness)
            #expect(listed == ["datanexus_get_author", "geo_brand_trend"])
        }
        try await withHarness(environment: ["SOCIAL_DATA_MCP_READ_ONLY": "1"]) { harness in
            let listed = try await names(harness)
            for writer in [
                "datanexus_generate_image", "creativault_submit_collection", "creativault_submit_keyword_collection",
                "tikomni_call_route",
            ] {
                #expect(!listed.contains(writer))
            }
            #expect(listed.count == ToolServices.entries.count - 4)
            let blocked = try await harness.server.request(
                "tools/call",
                ["name": "datanexus_generate_image", "arguments": ["prompt": "猫"]]
            )
            #expect(blocked["error"]?["code"] == -32602)
            #expect(harness.upstream.callRequests.isEmpty)
        }
    }

    @Test(arguments: [
        ["SOCIAL_DATA_MCP_TOOLSETS": "datanexus,weibo"], ["SOCIAL_DATA_MCP_TOOLS": "datanexus_get_authr"],
        ["SOCIAL_DATA_MCP_MAX_SPEND_CNY": "lots"],
    ])
    func unknownNamesAndBadSettingsAreAStartupErrorOnStderr(_ environment: [String: String]) async throws {
        let harness = try Harness.start(environment: environment)
        let status = await harness.server.waitForExit(timeout: .seconds(5))
        #expect(status == 2)
        #expect(harness.server.stdoutLines.isEmpty, "nothing on stdout")
        #expect(harness.server.stderr.contains(environment.keys.first ?? "?"), "\(harness.server.stderr)")
        await harness.finish()
    }

    @Test func anOversizedPageFitsBothViewsAndTheWholePageIsReadableAsAResource() async throws {
        let items = (0..<100).map { index in
            ["id": "author-\(index)", "bio": String(repeating: "美妆博主分享日常护肤心得。", count: 80)] as [String: Any]
        }
        let response = StubResponse.json(200, ["success": true, "data": ["items": items, "total": 100]])
        try await withHarness(environment: ["SOCIAL_DATA_MCP_CONFIRM_ABOVE_CNY": "none"], upstream: .always(response)) {
            harness in
            let result = try await harness.server.callTool(
                "datanexus_list_authors",
                ["platform": "xiaohongshu", "page_size": 100]
            )
            let link = result["content"]?.arrayValue?.first { $0["type"] == "resource_link" }
            let uri = try #require(link?["uri"]?.stringValue)
            for view in [result.textView, result.structuredView] {
                #expect(view.utf8.count <= ResultFormatter.formBudget, "\(view.utf8.count) bytes")
                #expect(view.contains(uri), "names the saved result")
                #expect(view.contains("items are left out here"))
                // The stub serves no price list, so the basis also says the price is the floor.
                #expect(view.contains("Cost: ¥8.00 (100 items × ¥0.08, the documented minimum"), "billed for all 100")
                #expect(view.contains("Session: ¥8.00 spent"))
            }
            let shown = result["structuredContent"]?["data"]?["items"]?.arrayValue?.count ?? 0
            #expect(shown > 0 && shown < 100)
            #expect(result["structuredContent"]?["trimmed"]?["items_left_out"] == .int(100 - shown))

            let read = try await harness.server.request("resources/read", ["uri": .string(uri)])
            let text = try #require(read["result"]?["contents"]?.arrayValue?.first?["text"]?.stringValue)
            let saved = try JSONParser.parse(text)
            #expect(saved["items"]?.arrayValue?.count == 100, "every paid-for item is in the saved result")
            let listed = try await harness.server.request("resources/list")
            #expect(listed["result"]?["resources"]?.arrayValue?.contains { $0["uri"]?.stringValue == uri } == true)
        }
    }

    @Test func resourcesOutsideTheSavedResultsAreNeverServed() async throws {
        try await withHarness { harness in
            for uri in [
                "social-data-mcp://results/../ledger/ledger.lock", "social-data-mcp://results/missing.json",
                "file:///etc/passwd", "social-data-mcp://results/",
            ] {
                let read = try await harness.server.request("resources/read", ["uri": .string(uri)])
                #expect(read["error"]?["code"] == -32002, "\(uri): \(read.jsonText)")
                #expect(read["result"] == nil)
            }
        }
    }

    @Test func identicalCallsMadeInParallelArePaidForOnce() async throws {
        try await withHarness(
            upstream: .answering { request in
                var response = DocumentedResponses.respond(request)
                response.delay = 0.3
                return response
            }
        ) { harness in
            let results = try await withThrowingTaskGroup(of: JSONValue.self) { group in
                for _ in 0..<5 {
                    group.addTask {
                        try await harness.server.callTool(
                            "datanexus_list_authors",
                            ["platform": "douyin", "keyword": "美食", "page_size": 10]
                        )
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(harness.upstream.callRequests.count == 1)
            let costs = results.compactMap { $0["structuredContent"]?["billing"]?["cost"]?.doubleValue }.sorted()
            #expect(costs == [0, 0, 0, 0, 0.8])
            #expect(
                results.filter { $0.resultText.contains("shared with an identical call made at the same time") }.count
                    == 4
            )
            let usage = try await harness.server.callTool("social_data_usage")
            #expect(usage["structuredContent"]?["data"]?["overall"]?["cache_hits"] == 4)
            #expect(usage["structuredContent"]?["data"]?["overall"]?["spent_cny"] == 0.8)
        }
    }
}
