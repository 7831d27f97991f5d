import Foundation
import LoopbackStandIn
import Testing
import ToolCall
import Wire

/// `social_data_read_result` through the real binary: a client without resources (Codex,
/// Gemini CLI, Windsurf, Cherry Studio) reaches every item of a trimmed page, a page at a
/// time, each page within the result bound; nothing outside the results folder is read.
@Suite("Saved result reader end to end") struct SavedResultReaderEndToEndTests {
    /// The documented answers, except a 100-item page of large works.
    static let upstream = Upstream.answering { request in
        if request.path.hasSuffix("/works"), request.query["page_size"] == "100" {
            let items = (0..<100).map { index in
                ["id": "w\(index)", "title": "秋冬护肤", "desc": String(repeating: "成分党干货分享,", count: 150)]
                    as [String: Any]
            }
            return .json(200, ["success": true, "data": ["items": items, "total": 100]])
        }
        return DocumentedResponses.respond(request)
    }

    /// Reads every page of a saved result through `call`, checking each result's views
    /// against the bound; the ids of every item, in order.
    static func readAllPages(
        _ reference: String,
        limit: Int? = nil,
        call: (JSONValue) async throws -> JSONValue
    ) async throws -> (ids: [String], pages: Int) {
        var ids: [String] = []
        var offset: JSONValue = .null
        var pages = 0
        repeat {
            var arguments: [String: JSONValue] = ["result": .string(reference), "offset": offset]
            if let limit { arguments["limit"] = .int(limit) }
            let result = try await call(.object(arguments))
            #expect(!result.isToolError, "\(result.textView.prefix(300))")
            #expect(result.textView.utf8.count <= ResultFormatter.formBudget)
            let structured = try #require(result["structuredContent"])
            #expect(structured.widestJSONSize <= ResultFormatter.formBudget, "escaped as the Agents SDK writes it")
            #expect(structured["trimmed"] == nil, "a page is never trimmed again")
            let page = try #require(structured["data"])
            #expect(page["total_items"] == 100)
            ids += (page["items"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
            offset = page["next_offset"] ?? .null
            pages += 1
        } while offset != .null && pages < 200
        return (ids, pages)
    }

    @Test func everyItemOfATrimmedPageIsReadPageByPage() async throws {
        // A big page here is about trimming, not approval: nothing asks first.
        try await withHarness(environment: ["SOCIAL_DATA_MCP_CONFIRM_ABOVE_CNY": "none"], upstream: Self.upstream) {
            harness in
            let page = try await harness.server.callTool(
                "datanexus_list_works",
                ["platform": "xiaohongshu", "page_size": 100]
            )
            let trimmed = try #require(page["structuredContent"]?["trimmed"])
            let uri = try #require(trimmed["resource_uri"]?.stringValue)
            #expect(page.textView.contains("social_data_read_result"), "the trim notice names the reader")
            let shown = trimmed["items_shown"]?.intValue ?? 0
            #expect(shown > 0 && shown < 100)
            let expected = (0..<100).map { "w\($0)" }

            let byURI = try await Self.readAllPages(uri) {
                try await harness.server.callTool("social_data_read_result", $0)
            }
            #expect(byURI.ids == expected, "all 100 items, in order, once each")
            #expect(byURI.pages > 1, "more than one page: \(byURI.pages)")

            // By id (the file name), in pages of 3 as the model asks.
            let id = String(uri.dropFirst(SavedResults.scheme.count))
            let byID = try await Self.readAllPages(id, limit: 3) {
                try await harness.server.callTool("social_data_read_result", $0)
            }
            #expect(byID.ids == expected && byID.pages == 34)

            // Nothing outside the results folder, however it is named.
            for outside in [
                "../ledger.json", "/etc/passwd", "social-data-mcp://results/../../etc/passwd", "results", "",
            ] {
                let refused = try await harness.server.callTool("social_data_read_result", ["result": .string(outside)])
                #expect(refused.isToolError, "\(outside) is refused")
                #expect(!refused.textView.contains("root:"))
            }
            #expect(harness.upstream.callRequests.count == 1, "reading pages sends nothing upstream")
        }
    }
}
