import Foundation
import LoopbackStandIn
import Testing
import ToolCall
import Wire

/// What each kind of client gives the model: a scripted session through the real binary,
/// checking both views of every result (success, cache hit, dry run, refusal, argument
/// error, upstream error, a diagnosis, an oversized page).
@Suite("Result views end to end") struct ResultViewsEndToEndTests {
    static let cookie = "sessionid=e2e_views_cookie_0001; passport_csrf_token=e2e"

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

    @Test func bothViewsOfEveryResultCarryTheSameFactsWithinTheBudget() async throws {
        var largest = (text: 0, structured: 0)
        try await withHarness(
            // Big pages here are about views, not approval: nothing asks first.
            environment: [
                "TIKOMNI_DOUYIN_COOKIE": Self.cookie, "SOCIAL_DATA_MCP_MAX_SPEND_CNY": "10",
                "SOCIAL_DATA_MCP_CONFIRM_ABOVE_CNY": "none",
            ],
            upstream: Self.upstream,
            secrets: [Self.cookie]
        ) { harness in
            func call(_ name: String, _ arguments: JSONValue = [:]) async throws -> JSONValue {
                let result = try await harness.server.callTool(name, arguments)
                try Self.checkViews(of: result, name)
                largest.text = max(largest.text, result.textView.utf8.count)
                largest.structured = max(largest.structured, result.structuredView.utf8.count)
                return result
            }
            let diagnosis = try await call("tikomni_douyin_author_diagnosis")
            let reading = diagnosis["structuredContent"]?["summary"]?["reading"]?.arrayValue ?? []
            #expect(reading.count >= 5, "the diagnosis reading is in structuredContent")
            #expect(diagnosis.textView.contains("AuthorRank"), "and in the text")

            let page = try await call("datanexus_list_works", ["platform": "xiaohongshu", "page_size": 100])
            let uri = try #require(page["structuredContent"]?["trimmed"]?["resource_uri"]?.stringValue)
            #expect(page.textView.contains(uri) && page.structuredView.contains(uri))
            let read = try await harness.server.request("resources/read", ["uri": .string(uri)])
            let saved = try JSONParser.parse(
                read["result"]?["contents"]?.arrayValue?.first?["text"]?.stringValue ?? ""
            )
            #expect(saved["items"]?.arrayValue?.count == 100)

            _ = try await call("datanexus_get_author", ["platform": "douyin", "id": "506931231"])
            let cached = try await call("datanexus_get_author", ["platform": "douyin", "id": "506931231"])
            #expect(cached.textView.contains("answered from cache"))
            #expect(cached.structuredView.contains("answered from cache"))

            let quote = try await call(
                "datanexus_list_authors",
                ["platform": "douyin", "page_size": 50, "dry_run": true]
            )
            #expect(quote.structuredView.contains("Worst case for these arguments: ¥4.00"))

            let refusal = try await call("datanexus_list_authors", ["platform": "douyin", "page_size": 100])
            #expect(refusal.isToolError)
            for view in [refusal.textView, refusal.structuredView] {
                #expect(view.contains("would fit."), "the refusal's advice reaches both kinds of client")
                #expect(view.contains("SOCIAL_DATA_MCP_MAX_SPEND_CNY"))
            }

            let invalid = try await call("datanexus_list_authors", ["platform": "douyin", "page_size": 101])
            #expect(invalid.isToolError)

            let notFound = try await call("geo_get_brand", ["brand_id": "no-such-brand"])
            #expect(notFound.isToolError)
            _ = try await call("geo_brand_trend", ["brand_id": "brand_01", "days": 7])
            _ = try await call("social_data_usage")
        }
        // Printed for the closing note: the largest result each kind of client received.
        print(
            "result views: largest text view \(largest.text) bytes, largest structured view \(largest.structured) bytes"
        )
    }

    /// A 100-item Chinese page that fits the budget in UTF-8 but is twice as large with
    /// non-ASCII escaped, as the OpenAI Agents SDK writes `structuredContent`.
    static let escapedUpstream = Upstream.answering { request in
        guard request.path.hasSuffix("/works") else { return DocumentedResponses.respond(request) }
        let items = (0..<100).map { index in
            ["id": "w\(index)", "title": "秋冬护肤成分党", "desc": String(repeating: "干货分享", count: 30)] as [String: Any]
        }
        return .json(200, ["success": true, "data": ["items": items, "total": 100]])
    }

    @Test func theStructuredViewFitsTheBudgetWithNonASCIIEscaped() async throws {
        try await withHarness(
            environment: ["SOCIAL_DATA_MCP_MAX_SPEND_CNY": "10", "SOCIAL_DATA_MCP_CONFIRM_ABOVE_CNY": "none"],
            upstream: Self.escapedUpstream
        ) { harness in
            let page = try await harness.server.callTool(
                "datanexus_list_works",
                ["platform": "xiaohongshu", "page_size": 100]
            )
            try Self.checkViews(of: page, "escaped page")
            let uri = try #require(page["structuredContent"]?["trimmed"]?["resource_uri"]?.stringValue)
            let read = try await harness.server.request("resources/read", ["uri": .string(uri)])
            let complete = read["result"]?["contents"]?.arrayValue?.first?["text"]?.stringValue ?? ""
            #expect(complete.utf8.count < ResultFormatter.formBudget, "the page fits in UTF-8: only escaping overflows")
            #expect(Self.pythonDumpsSize(complete) > ResultFormatter.formBudget)
            let shown = page["structuredContent"]?["data"]?["items"]?.arrayValue?.count ?? 0
            #expect(shown > 0 && shown < 100, "trimmed to \(shown) items")
        }
    }

    /// The size of compact JSON text as Python's `json.dumps` writes it by default.
    ///
    /// Non-ASCII escaped (six bytes, twelve beyond the BMP) and a space after each `,` and
    /// `:` between members; counted here independently of the server's own measure.
    static func pythonDumpsSize(_ json: String) -> Int {
        var size = 0
        var inString = false
        var escaped = false
        for scalar in json.unicodeScalars {
            switch scalar.value {
            case 0..<0x80: size += 1
            case 0x80..<0x10000: size += 6
            default: size += 12
            }
            if inString {
                if escaped {
                    escaped = false
                } else if scalar == "\\" {
                    escaped = true
                } else if scalar == "\"" {
                    inString = false
                }
            } else if scalar == "\"" {
                inString = true
            } else if scalar == "," || scalar == ":" {
                size += 1
            }
        }
        return size
    }

    /// Both views hold the same report: the text's lines are the structured summary's,
    /// in order; both name the cost and the budget; both fit the budget.
    static func checkViews(of result: JSONValue, _ name: String) throws {
        let text = result.textView
        let structured = result.structuredView
        #expect(text.utf8.count <= ResultFormatter.formBudget, "\(name): text \(text.utf8.count) bytes")
        #expect(
            pythonDumpsSize(structured) <= ResultFormatter.formBudget,
            "\(name): structured \(pythonDumpsSize(structured)) bytes with non-ASCII escaped"
        )
        let summary = try #require(result["structuredContent"]?["summary"], "\(name) has a summary")
        var lines = [summary["headline"]?.stringValue ?? ""]
        lines += (summary["reading"]?.arrayValue ?? []).compactMap(\.stringValue)
        lines += (summary["notes"]?.arrayValue ?? []).compactMap(\.stringValue)
        let cost = try #require(summary["cost"]?.stringValue)
        let budget = try #require(summary["budget"]?.stringValue)
        lines += [cost, budget]
        #expect(text.hasPrefix(lines.joined(separator: "\n")), "\(name): the text is the summary, in order")
        #expect(cost.hasPrefix("Cost: ") && budget.hasPrefix("Session: "), "\(name)")
        if let data = result["structuredContent"]?["data"] {
            #expect(text.contains("Data: " + data.jsonText), "\(name): the same data in both views")
        }
    }
}
