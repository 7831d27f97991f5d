import Foundation
import SocialDataMCP
import Testing

@Suite struct SkillDocumentTests {
    static let markdown = SkillDocument.markdown()

    private func frontmatter() throws -> [String] {
        let lines = Self.markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        try #require(lines.first == "---")
        let end = try #require(lines.dropFirst().firstIndex(of: "---"))
        return Array(lines[1..<end])
    }

    @Test func frontmatterFollowsTheAgentSkillsRules() throws {
        let lines = try frontmatter()
        let topLevelKeys = lines.filter { !$0.hasPrefix(" ") }.compactMap {
            $0.split(separator: ":").first.map(String.init)
        }
        #expect(Set(topLevelKeys).isSubset(of: ["name", "description", "license", "compatibility", "metadata"]))
        #expect(topLevelKeys.contains("name") && topLevelKeys.contains("description"))
        #expect(SkillDocument.name.wholeMatch(of: /[a-z0-9]+(-[a-z0-9]+)*/) != nil && SkillDocument.name.count <= 64)
        #expect(lines.contains("name: \(SkillDocument.name)"))
        #expect(SkillDocument.description.count <= 200, "\(SkillDocument.description.count) characters")
        #expect(!SkillDocument.description.contains("<") && !SkillDocument.description.contains(">"))
        #expect(lines.contains("description: \(SkillDocument.description)"))
        let compatibility = lines.first { $0.hasPrefix("compatibility: ") } ?? ""
        #expect(compatibility.count - "compatibility: ".count <= 500)
    }

    @Test func bodyIsShortAndCoversEveryToolPriceAndSetting() {
        #expect(Self.markdown.split(separator: "\n", omittingEmptySubsequences: false).count < 500)
        for entry in ToolTable.entries { #expect(Self.markdown.contains("`\(entry.tool.name)`")) }
        for key in CLI.configKeys { #expect(Self.markdown.contains("`\(key.variable)`")) }
        for phrase in [
            "dry_run", "max_age", "SOCIAL_DATA_MCP_MAX_SPEND_CNY", "¥0.08", "¥0.50", "Worked examples", "美妆",
            "geo_brand_trend",
        ] {
            #expect(Self.markdown.contains(phrase), "\(phrase)")
        }
    }

    @Test func codexMetadataNamesTheServer() {
        #expect(SkillDocument.openAIYAML.contains("display_name:"))
        #expect(SkillDocument.openAIYAML.contains("value: \"social-data\""))
    }

    @Test func skillMarkdownIsTheFreshSkillExport() throws {
        let committed = try String(contentsOf: ToolExportTests.root.appendingPathComponent("SKILL.md"), encoding: .utf8)
        #expect(
            committed == Self.markdown,
            "SKILL.md is stale: run scripts/generate (or: swift run social-data-mcp skill > SKILL.md)"
        )
    }
}
