import CLI
import Export
import Foundation
import Testing
import ToolCall

@Suite struct ReadmeTests {
    static let readme =
        (try? String(contentsOf: ToolExportTests.root.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""

    @Test func theToolListIsTheTablesOwn() throws {
        let begin = "<!-- BEGIN GENERATED TOOL LIST: scripts/generate -->\n"
        let end = "<!-- END GENERATED TOOL LIST -->"
        let start = try #require(Self.readme.range(of: begin)?.upperBound)
        let stop = try #require(Self.readme.range(of: end)?.lowerBound)
        let listed = String(Self.readme[start..<stop])
        #expect(
            listed == ToolExport.text(ToolServices.entries, format: .markdown, strict: false),
            "the README's tool list is stale: run scripts/generate"
        )
    }

    @Test func theConfigurationTableNamesEverySettingAndNoOther() {
        for key in ToolServices.settings {
            #expect(Self.readme.contains("`\(key.variable)`"), "README lacks \(key.variable)")
            #expect(
                Self.readme.contains("`\(key.flag)") || key.variable.hasSuffix("_BASE_URL"),
                "README lacks \(key.flag)"
            )
        }
        let known = Set(ToolServices.settings.map(\.variable))
        let mentioned = Self.readme.matches(
            of: /`([A-Z][A-Z0-9_]+_(?:KEY|URL|COOKIE|IDENTITY|WORKSPACE|TOOLSETS|TOOLS|ONLY|CNY|CREDITS|TTL|TIMEOUT))`/
        )
        for match in mentioned {
            #expect(
                known.contains(String(match.output.1)),
                "README documents \(match.output.1), which the server does not read"
            )
        }
    }
}
