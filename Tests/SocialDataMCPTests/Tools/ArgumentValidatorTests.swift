import Catalog
import Testing
import ToolCall
import Wire

@Suite struct ArgumentValidatorTests {
    private func tool(_ name: String) throws -> ToolDefinition {
        try #require(ToolServices.entries.first { $0.tool.name == name }?.tool)
    }

    private func validate(
        _ name: String,
        _ arguments: [String: JSONValue],
        environment: [String: String] = [:]
    ) throws -> [String: JSONValue] {
        try ArgumentValidator.validate(arguments, for: try tool(name), environment: Environment(environment))
    }

    private func failure(
        _ name: String,
        _ arguments: [String: JSONValue],
        environment: [String: String] = [:]
    ) throws -> ArgumentError {
        let tool = try tool(name)
        let result = Result { () throws(ArgumentError) in
            try ArgumentValidator.validate(arguments, for: tool, environment: Environment(environment))
        }
        guard case .failure(let error) = result else {
            throw ValidationAccepted(description: "\(name) accepted \(arguments)")
        }
        return error
    }

    private struct ValidationAccepted: Error, CustomStringConvertible {
        let description: String
    }

    @Test func listAuthorsRejectsPageSizeOver100() throws {
        let error = try failure("datanexus_list_authors", ["platform": "douyin", "page_size": 101])
        #expect(error.argument == "page_size")
        #expect(error.message.contains("between 1 and 100"))
    }

    @Test func integralDoublesAreIntegers() throws {
        let arguments = try validate("datanexus_list_authors", ["platform": "douyin", "page_size": 20.0])
        #expect(arguments["page_size"] == .int(20))
    }

    @Test func nullIsAbsent() throws {
        let arguments = try validate("datanexus_list_authors", ["platform": "douyin", "keyword": nil])
        #expect(arguments["keyword"] == nil)
        let error = try failure("datanexus_get_author", ["platform": "douyin", "id": nil])
        #expect(error.argument == "id")
    }

    /// What a strict converter forces for an omitted optional argument means "not given".
    @Test func anOptionalArgumentsEmptyValueIsAbsent() throws {
        let authors = try validate(
            "datanexus_list_authors",
            ["platform": "douyin", "keyword": "", "page": nil, "page_size": nil, "max_age": nil, "dry_run": nil]
        )
        #expect(authors == ["platform": "douyin"])
        let citations = try validate(
            "geo_citations",
            ["brand_id": "b", "days": nil, "start_date": "", "end_date": "", "platform": []]
        )
        #expect(citations == ["brand_id": "b"], "no together/exclusive rule fires on empty values")
        let analysis = try validate(
            "tikomni_douyin_item_analysis",
            ["item_id": "1", "aspect": "danmaku", "analysis_type": "", "cookie": "c"]
        )
        #expect(analysis["analysis_type"] == nil, "an empty out-of-scope value is no error")
        let platforms = try validate("datanexus_list_platforms", ["platform": ""])
        #expect(platforms["platform"] == nil, "\"\" lists all platforms")
    }

    @Test func aRequiredArgumentMayStillNotBeEmpty() throws {
        let error = try failure("datanexus_get_author", ["platform": "douyin", "id": ""])
        #expect(error.argument == "id" && error.message.contains("must not be empty"))
        let choice = try failure("datanexus_list_authors", ["platform": ""])
        #expect(choice.argument == "platform" && choice.message.contains("must be one of"))
        let scoped = try failure(
            "tikomni_douyin_account_analysis",
            [
                "cookie": "c", "start_date": "20250101", "end_date": "20250102", "view": "overview",
                "primary_verticals": [],
            ]
        )
        #expect(scoped.argument == "primary_verticals" && scoped.message.contains("Missing required"))
    }

    /// `cookie: ""` is how a strict-mode model leaves the secret out of the conversation.
    @Test func anEmptyCookieUsesTheServersCookie() throws {
        let arguments = try validate(
            "tikomni_douyin_author_diagnosis",
            ["cookie": "", "max_age": nil, "dry_run": nil],
            environment: ["TIKOMNI_DOUYIN_COOKIE": "sessionid=server"]
        )
        #expect(arguments["cookie"] == "sessionid=server")
        let missing = try failure("tikomni_douyin_author_diagnosis", ["cookie": ""])
        #expect(missing.argument == "cookie" && missing.message.contains("TIKOMNI_DOUYIN_COOKIE"))
    }

    /// The schema shows upstream codes as strings; both forms are taken and the number is kept.
    @Test func integerCodesAreTakenAsStringsOrIntegers() throws {
        let base: [String: JSONValue] = ["cookie": "c", "item_id": "1", "aspect": "watch_trend"]
        for given: JSONValue in ["7", 7, 7.0] {
            var arguments = base
            arguments["analysis_type"] = given
            #expect(try validate("tikomni_douyin_item_analysis", arguments)["analysis_type"] == .int(7))
        }
        var wrong = base
        wrong["analysis_type"] = "3"
        #expect(try failure("tikomni_douyin_item_analysis", wrong).message.contains("must be one of 1, 2, 7; got"))
        let genres = try validate(
            "tikomni_douyin_item_list_download",
            ["cookie": "c", "min_cursor": 1, "max_cursor": 2, "type_filters": ["1", 8]]
        )
        #expect(genres["type_filters"] == [1, 8])
    }

    @Test func unknownArgumentListsTheKnownOnes() throws {
        let error = try failure("datanexus_get_author", ["platform": "douyin", "id": "1", "ID": "2"])
        #expect(error.argument == "ID")
        #expect(error.message.contains("platform, id"))
    }

    @Test func wrongTypesNameTheArgumentAndTheType() throws {
        let cases: [(String, [String: JSONValue], String)] = [
            ("datanexus_get_author", ["platform": 1, "id": "1"], "'platform' must be one of"),
            (
                "datanexus_get_author", ["platform": "douyin", "id": ["1"]],
                "'id' must be a non-empty string; got array"
            ),
            ("datanexus_list_authors", ["platform": "douyin", "page": true], "'page' must be an integer"),
            ("datanexus_list_authors", ["platform": "douyin", "dry_run": "yes"], "'dry_run' must be a boolean"),
        ]
        for (name, arguments, fragment) in cases {
            let error = try failure(name, arguments)
            #expect(error.message.contains(fragment), "\(error.message)")
        }
    }

    @Test func imageSizeFormat() throws {
        for size in ["auto", "1024x1024", "1536x1024", "2048x2048"] {
            _ = try validate("datanexus_generate_image", ["prompt": "p", "size": .string(size)])
        }
        for size in ["1024", "1024x", "x1024", "big", "1024X1024", "1x1"] {
            let error = try failure("datanexus_generate_image", ["prompt": "p", "size": .string(size)])
            #expect(error.argument == "size")
        }
    }

    @Test func dryRunAndMaxAgeAreAcceptedWhereTheyApply() throws {
        _ = try validate("datanexus_get_author", ["platform": "douyin", "id": "1", "dry_run": true, "max_age": 0])
        let error = try failure("datanexus_get_catalog", ["dry_run": true])
        #expect(error.message.contains("Unknown argument 'dry_run'"), "free tools have no dry run")
        let imageError = try failure("datanexus_generate_image", ["prompt": "p", "max_age": 5])
        #expect(imageError.message.contains("Unknown argument 'max_age'"), "writes are never cached")
    }

    @Test func calendarDaysAreReal() {
        #expect(CalendarDay("2024-02-29", layout: .dashed) != nil)
        #expect(CalendarDay("2025-02-29", layout: .dashed) == nil)
        #expect(CalendarDay("2025-13-01", layout: .dashed) == nil)
        #expect(CalendarDay("20251231", layout: .compact) != nil)
        #expect(CalendarDay("2025-1-01", layout: .dashed) == nil)
        #expect(CalendarDay("1970-01-01", layout: .dashed)?.ordinal == 0)
        #expect(CalendarDay("2025-12-07", layout: .dashed)?.ordinal == 20_429)
    }
}
