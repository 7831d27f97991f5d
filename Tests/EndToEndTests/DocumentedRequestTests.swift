import Catalog
import Foundation
import LoopbackStandIn
import Providers
import SeedFixtures
import Testing
import Wire

/// Every example request in the seeds goes through its tool as it is, and the request on
/// the wire equals it: same method, path, query and JSON body.
@Suite("Documented example requests")
struct DocumentedRequestTests {
    struct Case: Sendable, CustomTestStringConvertible {
        /// The request fixture.
        let file: String
        let tool: String
        /// Arguments the example carries in its path (platform, id, view…), not in its body.
        let routeArguments: [String: JSONValue]
        var testDescription: String { file }
    }

    static let tikOmniViews: [String: [String: JSONValue]] = [
        "fetch_author_diagnosis": [:],
        "fetch_item_analysis_involved_vertical": ["view": "involved_vertical"],
        "fetch_item_analysis_item_performance": ["view": "item_performance"],
        "fetch_item_analysis_overview": ["view": "overview"],
        "fetch_item_audience_others": ["aspect": "audience_others"],
        "fetch_item_audience_portrait": ["aspect": "audience_portrait"],
        "fetch_item_danmaku_analysis": ["aspect": "danmaku"],
        "fetch_item_play_source": ["aspect": "play_source"],
        "fetch_item_search_keyword": ["aspect": "search_keywords"],
        "fetch_item_watch_trend": ["aspect": "watch_trend"],
    ]

    /// Which tool takes each example, by the fixture's endpoint name.
    static func tool(for entry: SeedFixtures.Entry) -> (String, [String: JSONValue])? {
        let name = String(entry.file.split(separator: "/").last?.split(separator: ".").first ?? "")
        switch (entry.provider, name) {
        case ("tikomni", "fetch_item_list"): return ("tikomni_douyin_item_list", [:])
        case ("tikomni", "fetch_item_list_download"): return ("tikomni_douyin_item_list_download", [:])
        case ("tikomni", "fetch_item_overview_data"): return ("tikomni_douyin_item_overview", [:])
        case ("tikomni", "fetch_live_room_history_list"): return ("tikomni_douyin_live_history", [:])
        case ("tikomni", _):
            guard let arguments = tikOmniViews[name] else { return nil }
            let tool =
                arguments["view"] != nil
                ? "tikomni_douyin_account_analysis"
                : arguments["aspect"] != nil ? "tikomni_douyin_item_analysis" : "tikomni_douyin_author_diagnosis"
            return (tool, arguments)
        case ("creativault", "creators_tiktok_search"): return ("creativault_search_creators", ["platform": "tiktok"])
        case ("creativault", "creators_youtube_search"): return ("creativault_search_creators", ["platform": "youtube"])
        case ("creativault", "creators_instagram_search"):
            return ("creativault_search_creators", ["platform": "instagram"])
        case ("creativault", "creators_lookalike"): return ("creativault_find_lookalikes", [:])
        case ("creativault", "collection_tasks_submit"): return ("creativault_submit_collection", [:])
        case ("creativault", "collection_tasks_keyword_submit"): return ("creativault_submit_keyword_collection", [:])
        case ("creativault", "collection_tasks_status"): return ("creativault_get_task_status", [:])
        case ("creativault", "collection_tasks_data"): return ("creativault_get_task_data", [:])
        case ("creativault", "collection_tasks_export"): return ("creativault_export_task", [:])
        case ("creativault", "files_download_url"): return ("creativault_get_download_url", [:])
        case ("creativault", "webhook_verify"): return ("creativault_verify_webhook", [:])
        case ("datanexus", "images_generations"): return ("datanexus_generate_image", [:])
        case ("datanexus", "platforms_authors_id"):
            return ("datanexus_get_author", ["platform": "xiaohongshu", "id": "506931231"])
        case ("datanexus", "platforms_authors"): return ("datanexus_list_authors", ["platform": "xiaohongshu"])
        case ("datanexus", "platforms_works"): return ("datanexus_list_works", ["platform": "douyin"])
        case ("datanexus", "platforms"): return ("datanexus_list_platforms", [:])
        case ("datanexus", "billing_pricing"): return ("datanexus_get_pricing", ["platform": "xiaohongshu"])
        case ("geo", "brands"): return ("geo_list_brands", [:])
        case ("geo", let endpoint):
            let tools = [
                "brands_trend": "geo_brand_trend", "brands_overview": "geo_brand_overview",
                "brands_rank_positions": "geo_rank_positions", "brands_citations": "geo_citations",
                "brands_competitors": "geo_competitors",
            ]
            return tools[endpoint].map { ($0, ["brand_id": .string(DocumentedResponses.geoBrandID)]) }
        case ("datatrust", "models"): return ("datatrust_search_models", [:])
        case ("datatrust", "models_id"): return ("datatrust_get_model", ["id": "123"])
        case ("datatrust", "account_balance"): return ("datatrust_get_account", [:])
        default: return nil
        }
    }

    static let requestEntries = SeedFixtures.entries.filter(\.isRequest)

    static let cases: [Case] = requestEntries.compactMap { entry in
        tool(for: entry).map { Case(file: entry.file, tool: $0.0, routeArguments: $0.1) }
    }

    @Test func everyExampleRequestHasATool() {
        let covered = Set(Self.cases.map(\.file))
        #expect(Self.requestEntries.count > 40)
        for entry in Self.requestEntries {
            #expect(covered.contains(entry.file), "\(entry.file) has no tool in this table")
        }
    }

    /// The example's values as the tool's arguments: a query's text as the parameter's
    /// type, and a comma-separated list as the list the tool joins again.
    static func argument(_ value: JSONValue, for parameter: Parameter?) -> JSONValue {
        switch (parameter?.kind, value) {
        case (.integer?, .string(let text)), (.integerChoice?, .string(let text)):
            return Int(text).map { .int($0) } ?? value
        case (.array(_, _, true)?, .string(let text)):
            return .array(text.split(separator: ",").map { .string(String($0)) })
        default:
            return value
        }
    }

    @Test("goes through its tool unchanged", arguments: cases)
    func exampleRequestReachesTheWireUnchanged(_ testCase: Case) async throws {
        let entry = try #require(SeedFixtures.entries.first { $0.file == testCase.file })
        let example = try JSONParser.parse(SeedFixtures.text(entry.file) ?? "")
        let definition = try #require(ToolTable.toolsets.flatMap(\.tools).first { $0.name == testCase.tool })
        let isGET = example["method"] != nil
        let members = (isGET ? example["query"] : example)?.objectValue ?? [:]
        var arguments = testCase.routeArguments
        // The example names what is on the wire; the argument may be named otherwise
        // (GEO's `from` is `start_date` for the model).
        for (wireName, value) in members {
            let parameter = definition.parameters.first { $0.upstreamName == wireName }
            arguments[parameter?.name ?? wireName] = Self.argument(value, for: parameter)
        }
        let routePath = String(entry.route.split(separator: " ", maxSplits: 1).last ?? "")
        let path =
            isGET
            ? example["path"]?.stringValue ?? ""
            : routePath.replacingOccurrences(
                of: "{platform}",
                with: testCase.routeArguments["platform"]?.stringValue ?? ""
            )
        let prefix = try #require(DocumentedResponses.prefix(of: entry.provider))
        try await withHarness { harness in
            let result = try await harness.server.callTool(testCase.tool, .object(arguments))
            #expect(!result.isToolError, "\(testCase.tool): \(result.resultText)")
            let requests = harness.upstream.callRequests
            try #require(requests.count == 1, "expected one request, saw \(requests.map(\.path))")
            let request = requests[0]
            #expect(request.method == (isGET ? "GET" : "POST"))
            #expect(request.decodedPath == prefix + path)
            let query = example["query"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
            #expect(request.query == query)
            if isGET {
                #expect(request.body.isEmpty)
            } else {
                #expect((try? JSONParser.parse(request.body)) == example, "sent \(request.bodyText)")
            }
        }
    }
}
