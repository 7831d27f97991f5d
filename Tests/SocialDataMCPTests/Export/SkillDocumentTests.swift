import CLI
import Export
import Foundation
import Providers
import Testing
import ToolCall
import Wire

@Suite struct SkillDocumentTests {
    static let markdown = SkillDocument.markdown()

    private func frontmatter() throws -> [String] {
        let lines = Self.markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        try #require(lines.first == "---")
        let end = try #require(lines.dropFirst().firstIndex(of: "---"))
        return Array(lines[1..<end])
    }

    @Test func frontmatterFollowsTheAgentSkillsRules() throws {
        // The YAML itself is parsed by PyYAML in Tests/Interop/check_skill.py; here, the rules.
        let lines = try frontmatter()
        let topLevelKeys = lines.filter { !$0.hasPrefix(" ") }.compactMap {
            $0.split(separator: ":").first.map(String.init)
        }
        #expect(Set(topLevelKeys).isSubset(of: ["name", "description", "license", "compatibility", "metadata"]))
        #expect(topLevelKeys.contains("name") && topLevelKeys.contains("description"))
        #expect(SkillDocument.name.wholeMatch(of: /[a-z0-9]+(-[a-z0-9]+)*/) != nil && SkillDocument.name.count <= 64)
        #expect(lines.contains("name: \(SkillDocument.name)"))
        #expect(
            (1...SkillDocument.descriptionLimit).contains(SkillDocument.description.count),
            "\(SkillDocument.description.count) characters"
        )
        #expect(SkillDocument.descriptionLimit == 200, "Claude.ai's upload form")
        #expect(
            Self.markdown.contains("## When to use\n\n\(SkillDocument.whenToUse)\n"),
            "the long guidance is in the body"
        )
        #expect(!SkillDocument.description.contains("<") && !SkillDocument.description.contains(">"))
        #expect(SkillDocument.description.contains("Use when"), "it says when to use the skill")
        for word in ["小红书", "抖音", "博主", "达人", "品牌"] {
            #expect(SkillDocument.description.contains(word), "the description has \(word), which users type")
        }
        #expect(SkillDocument.compatibility.count <= 500)
        // Free text is quoted, so a `: ` inside it cannot end the YAML value early.
        #expect(lines.contains("description: \(JSONValue.string(SkillDocument.description).jsonText)"))
        #expect(lines.contains("compatibility: \(JSONValue.string(SkillDocument.compatibility).jsonText)"))
        for line in lines where line.hasPrefix("  ") {
            let value = line.split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces) ?? ""
            #expect(value.hasPrefix("\"") && value.hasSuffix("\""), "metadata values are quoted strings: \(line)")
        }
    }

    @Test func bodyIsShortAndCoversEveryToolPricePromptAndSetting() {
        #expect(Self.markdown.split(separator: "\n", omittingEmptySubsequences: false).count < 500)
        for entry in ToolServices.entries {
            // The whole description, never a sentence cut at the "." of an "e.g.".
            #expect(Self.markdown.contains("`\(entry.tool.name)`: \(entry.tool.description)\n"), "\(entry.tool.name)")
        }
        for entry in ToolServices.entries where entry.tool.price.isPaid {
            guard var note = entry.tool.price.note else { continue }
            while note.hasSuffix(".") { note.removeLast() }
            #expect(
                Self.markdown.components(separatedBy: note).count == 2,
                "\(entry.toolset.id)'s billing is said once"
            )
        }
        for prompt in PromptTable.prompts {
            #expect(Self.markdown.contains("`\(prompt.name)` (\(prompt.title))"), "\(prompt.name)")
        }
        for key in ToolServices.settings { #expect(Self.markdown.contains("`\(key.variable)`")) }
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
