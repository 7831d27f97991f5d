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
