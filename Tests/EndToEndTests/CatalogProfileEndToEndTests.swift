import Foundation
import LoopbackStandIn
import Testing
import ToolCall
import Wire

/// The catalog profile through the real binary: four tools listed within 4,000 bytes, and
/// a scripted session (find → call → read result) that reaches the same data, cost, limits
/// and ledger as the direct tool.
@Suite("Catalog profile end to end") struct CatalogProfileEndToEndTests {
    /// What one session learned, to compare the two profiles.
    struct Session {
        var page: JSONValue = .null
        var quote = ""
        var invalid = ""
        var ids: [String] = []
        var requests: [String] = []
        var usage: JSONValue = .null
    }

    /// Runs the same session in a server started with `arguments`, calling the data tool
    /// through `call`.
    static func session(
        _ arguments: [String],
        call: @escaping (ServerProcess, String, JSONValue) async throws -> JSONValue
    ) async throws -> Session {
        var session = Session()
        // A big page here is about trimming, not approval: nothing asks first.
        try await withHarness(
            environment: ["SOCIAL_DATA_MCP_CONFIRM_ABOVE_CNY": "none"],
            arguments: arguments,
            upstream: SavedResultReaderEndToEndTests.upstream
        ) { harness in
            let server = harness.server
            let works: JSONValue = ["platform": "xiaohongshu", "page_size": 100]
            session.quote = try await call(
                server,
                "datanexus_list_works",
                ["platform": "xiaohongshu", "dry_run": true]
            )
            .textView
            session.invalid = try await call(
                server,
                "datanexus_list_works",
                ["platform": "xiaohongshu", "page_size": 101]
            )
            .textView
            session.page = try await call(server, "datanexus_list_works", works)
            let uri = try #require(session.page["structuredContent"]?["trimmed"]?["resource_uri"]?.stringValue)
            session.ids = try await SavedResultReaderEndToEndTests.readAllPages(uri) {
                try await server.callTool("social_data_read_result", $0)
            }.ids
            session.usage = try await server.callTool("social_data_usage")["structuredContent"]?["data"] ?? .null
            session.requests = harness.upstream.callRequests.map {
                $0.path + "?" + $0.query.sorted { $0.key < $1.key }.description
            }
        }
        return session
    }

    @Test func aSessionThroughTheCatalogReachesWhatTheDirectToolDoes() async throws {
        let direct = try await Self.session([]) { server, name, arguments in try await server.callTool(name, arguments)
        }
        let viaCatalog = try await Self.session(["--profile", "catalog"]) { server, name, arguments in
            try await server.callTool("social_data_call_tool", ["name": .string(name), "arguments": arguments])
        }
        #expect(!direct.page.isToolError && !viaCatalog.page.isToolError)
        let billing = { (session: Session) in session.page["structuredContent"]?["billing"] }
        #expect(billing(direct)?["cost"] != nil && billing(direct)?["cost"] == billing(viaCatalog)?["cost"])
        #expect((billing(direct)?["cost"]?.doubleValue ?? 0) > 0, "a paid read")
        #expect(direct.page["structuredContent"]?["data"] == viaCatalog.page["structuredContent"]?["data"])
        #expect(direct.ids == viaCatalog.ids && direct.ids.count == 100)
        #expect(direct.quote == viaCatalog.quote && direct.quote.contains("Worst case"))
        #expect(direct.invalid == viaCatalog.invalid && direct.invalid.contains("page_size"))
        #expect(direct.requests == viaCatalog.requests && direct.requests.count == 1, "the same request upstream")
        // The same ledger: the call is recorded under the data tool, at the same spend.
        for path in [["by_tool", "datanexus_list_works"], ["all_processes", "today_cny"]] {
            let pick = { (usage: JSONValue) in path.reduce(Optional(usage)) { $0?[$1] } }
            #expect(pick(direct.usage) != nil && pick(direct.usage) == pick(viaCatalog.usage), "\(path)")
        }
        #expect(viaCatalog.usage["by_tool"]?["social_data_call_tool"] == nil, "nothing recorded under the caller")
    }

    @Test func theCatalogListsFourToolsThatFindEveryTool() async throws {
        try await withHarness(arguments: ["--profile", "catalog"]) { harness in
            let listed = try await harness.server.request("tools/list", [:])
            let tools = try #require(listed["result"]?["tools"])
            let names = (tools.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
            #expect(
                names == [
                    "social_data_find_tools", "social_data_call_tool", "social_data_usage", "social_data_read_result",
                ]
            )
            #expect(tools.jsonBytes.count <= 4_000, "catalog tools/list is \(tools.jsonBytes.count) bytes")
            print("catalog profile tools/list: \(names.count) tools, \(tools.jsonBytes.count) bytes")

            for (query, expected) in [
                ("小红书博主", "datanexus_list_authors"), ("抖音 达人 诊断", "tikomni_douyin_author_diagnosis"),
                ("XHS notes search", "datanexus_list_works"), ("文生图", "datanexus_generate_image"),
            ] {
                let found = try await harness.server.callTool("social_data_find_tools", ["query": .string(query)])
                let matches = found["structuredContent"]?["data"]?["tools"]?.arrayValue ?? []
                let match = matches.first { $0["name"]?.stringValue == expected }
                #expect(match != nil, "\(query) finds \(expected): \(matches.compactMap { $0["name"]?.stringValue })")
                #expect(match?["inputSchema"]?["properties"] != nil && match?["description"] != nil)
            }
            let everything = try await harness.server.callTool("social_data_find_tools", ["query": ""])
            #expect(
                everything["structuredContent"]?["data"]?["tools"]?.arrayValue?.count
                    == ToolServices.entries.count - 2,
                "an empty query lists every data tool"
            )
            let unknown = try await harness.server.callTool("social_data_call_tool", ["name": "no_such_tool"])
            #expect(unknown.isToolError && unknown.textView.contains("social_data_find_tools"))
            let itself = try await harness.server.callTool("social_data_call_tool", ["name": "social_data_call_tool"])
            #expect(itself.isToolError)
            #expect(harness.upstream.callRequests.isEmpty)
        }
    }
}
