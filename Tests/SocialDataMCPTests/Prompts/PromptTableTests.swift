import Catalog
import Foundation
import Providers
import Testing
import ToolCall

/// Invariants every row of the prompt table must hold.
@Suite struct PromptTableTests {
    static let names = PromptTable.prompts.map(\.name)
    static let toolNames = Set(ToolServices.entries.map(\.tool.name))
    /// A value for each required argument, to render every prompt.
    static let sample: [String: String] = ["brand": "示例品牌", "creator": "@sample_creator", "keywords": "防晒, 早C晚A"]
    static let allExposed = PromptDefinition.Context(
        now: Date(timeIntervalSince1970: 1_795_000_000),
        exposedTools: toolNames,
        table: ToolServices.entries.map(\.tool)
    )

    private func prompt(_ name: String) throws -> PromptDefinition {
        try #require(PromptTable.prompt(named: name))
    }

    private func requiredArguments(of prompt: PromptDefinition) -> [String: String] {
        var values: [String: String] = [:]
        for argument in prompt.arguments where argument.isRequired {
            values[argument.name] = Self.sample[argument.name]
        }
        return values
    }

    @Test func theWorkflowsUsersAskForAreThere() {
        #expect(Set(Self.names).count == Self.names.count, "duplicate prompt names")
        for name in [
            "diagnose_douyin_account", "brand_visibility_in_ai", "find_similar_creators", "xiaohongshu_topic_scan",
        ] {
            #expect(Self.names.contains(name), "\(name)")
        }
    }

    @Test(arguments: names)
    func promptNamesOnlyToolsThatExistAndCallsThemAll(_ name: String) throws {
        let prompt = try prompt(name)
        #expect(name.wholeMatch(of: /[a-z][a-z0-9_]{0,63}/) != nil)
        #expect(!prompt.title.isEmpty && !prompt.description.isEmpty && !prompt.tools.isEmpty)
        #expect(!prompt.arguments.isEmpty, "every prompt takes arguments")
        for tool in prompt.tools { #expect(Self.toolNames.contains(tool), "\(name) names unknown tool \(tool)") }
        let text = try prompt.text(for: requiredArguments(of: prompt), context: Self.allExposed)
        for tool in prompt.tools { #expect(text.contains(tool), "\(name)'s text calls \(tool)") }
        for value in requiredArguments(of: prompt).values.flatMap({ $0.split(separator: ",") }) {
            #expect(text.contains(value.trimmingCharacters(in: .whitespaces)), "\(name) fills in \(value)")
        }
        for argument in prompt.arguments {
            #expect(!argument.title.isEmpty && !argument.description.isEmpty, "\(name).\(argument.name)")
        }
    }

    @Test(arguments: names)
    func aMissingRequiredOrUnknownArgumentIsRefused(_ name: String) throws {
        let prompt = try prompt(name)
        for argument in prompt.arguments where argument.isRequired {
            var arguments = requiredArguments(of: prompt)
            arguments[argument.name] = "  "
            #expect(throws: PromptError.self, "\(name) without \(argument.name)") {
                try prompt.text(for: arguments, context: Self.allExposed)
            }
        }
        var extra = requiredArguments(of: prompt)
        extra["nonsense"] = "1"
        #expect(throws: PromptError.self) { try prompt.text(for: extra, context: Self.allExposed) }
    }

    @Test func numbersAndChoicesAreChecked() throws {
        let brand = try prompt("brand_visibility_in_ai")
        #expect(throws: PromptError.self) {
            try brand.text(for: ["brand": "x", "days": "31"], context: Self.allExposed)
        }
        #expect(throws: PromptError.self) {
            try brand.text(for: ["brand": "x", "days": "a week"], context: Self.allExposed)
        }
        let text = try brand.text(for: ["brand": "x", "days": "7"], context: Self.allExposed)
        #expect(text.contains("geo_brand_trend with that brand_id and days 7"))
        let creators = try prompt("find_similar_creators")
        #expect(throws: PromptError.self) {
            try creators.text(for: ["creator": "x", "platform": "weibo"], context: Self.allExposed)
        }
    }

    @Test func theDiagnosisReviewsTheRequestedDaysOfWorks() throws {
        let diagnosis = try prompt("diagnose_douyin_account")
        let text = try diagnosis.text(for: ["days": "7", "focus": "完播率"], context: Self.allExposed)
        let end = 1_795_000_000_000
        #expect(text.contains("start_time \(end - 7 * 86_400_000) and end_time \(end)"))
        #expect(text.contains("完播率"))
    }

    @Test func findingCreatorsUsesWhicheverProviderIsExposed() throws {
        let creators = try prompt("find_similar_creators")
        let datanexusOnly = PromptDefinition.Context(
            now: Self.allExposed.now,
            exposedTools: Set(Self.toolNames.filter { $0.hasPrefix("datanexus_") }),
            table: Self.allExposed.table
        )
        #expect(creators.isAvailable(exposing: datanexusOnly.exposedTools))
        let text = try creators.text(for: ["creator": "美妆博主"], context: datanexusOnly)
        #expect(text.contains("datanexus_list_authors") && !text.contains("creativault_find_lookalikes"))
        #expect(throws: PromptError.self, "tiktok needs CreatiVault, which is hidden") {
            try creators.text(for: ["creator": "x", "platform": "tiktok"], context: datanexusOnly)
        }
        #expect(!creators.isAvailable(exposing: ["geo_list_brands"]))
    }

    @Test func aPromptNeedingEveryToolIsHiddenWithAnyOfThem() throws {
        let brand = try prompt("brand_visibility_in_ai")
        #expect(brand.isAvailable(exposing: Self.toolNames))
        #expect(!brand.isAvailable(exposing: Self.toolNames.subtracting(["geo_citations"])))
    }

    @Test func theListingShapeIsMCPs() throws {
        let listed = try prompt("brand_visibility_in_ai").mcpJSON
        #expect(listed["name"] == "brand_visibility_in_ai")
        let arguments = try #require(listed["arguments"]?.arrayValue)
        #expect(arguments.map { $0["name"] } == ["brand", "days"])
        #expect(arguments.map { $0["required"] } == [true, false])
    }
}
