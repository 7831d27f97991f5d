import Catalog
import Export
import Foundation
import Testing
import ToolCall

@Suite struct ToolExportTests {
    static let entries = ToolServices.entries

    /// The repository root, for the committed exports.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test func namesAreValidForOpenAIAndAnthropic() {
        for entry in Self.entries {
            #expect(entry.tool.name.wholeMatch(of: /[a-zA-Z0-9_-]{1,64}/) != nil)
        }
    }

    @Test func openAIChatCompletionsShape() throws {
        let tools = try #require(ToolExport.export(Self.entries, format: .openai, strict: false).arrayValue)
        #expect(tools.count == Self.entries.count)
        for (tool, entry) in zip(tools, Self.entries) {
            #expect(tool["type"] == "function")
            #expect(tool["function"]?["name"] == .string(entry.tool.name))
            #expect(tool["function"]?["description"] == .string(entry.tool.description))
            #expect(tool["function"]?["parameters"] == InputSchema.schema(for: entry.tool))
            #expect(tool["function"]?["strict"] == false)
        }
    }

    @Test func openAIResponsesShapeIsFlat() throws {
        let tools = try #require(ToolExport.export(Self.entries, format: .openaiResponses, strict: true).arrayValue)
        for tool in tools {
            #expect(tool["type"] == "function")
            #expect(
                tool["name"]?.stringValue != nil && tool["parameters"]?["type"] == "object" && tool["function"] == nil
            )
        }
    }

    @Test func anthropicShape() throws {
        let tools = try #require(ToolExport.export(Self.entries, format: .anthropic, strict: false).arrayValue)
        for (tool, entry) in zip(tools, Self.entries) {
            #expect(tool.objectValue?.keys.sorted() == ["description", "input_schema", "name"])
            #expect(tool["input_schema"] == InputSchema.schema(for: entry.tool))
        }
    }

    @Test func mcpShapeIsTheToolsListResult() {
        let export = ToolExport.export(Self.entries, format: .mcp, strict: false)
        #expect(export["tools"]?.arrayValue?.map { $0["name"] } == Self.entries.map { .string($0.tool.name) })
    }

    @Test(arguments: entries.map(\.tool.name))
    func strictSchemasHoldStrictModesRules(_ name: String) throws {
        let entry = try #require(Self.entries.first { $0.tool.name == name })
        let exported = try #require(
            ToolExport.export([entry], format: .openai, strict: true).arrayValue?.first?["function"]
        )
        let parameters = try #require(exported["parameters"])
        let hasFreeFormObject = entry.tool.parameters.contains {
            if case .object = $0.kind { return true } else { return false }
        }
        guard !hasFreeFormObject else {
            #expect(exported["strict"] == false, "a free-form object cannot be strict")
            return
        }
        #expect(exported["strict"] == true)
        #expect(parameters["additionalProperties"] == false)
        let properties = try #require(parameters["properties"]?.objectValue)
        #expect(Set(parameters["required"]?.arrayValue?.compactMap(\.stringValue) ?? []) == Set(properties.keys))
        let required = Set(InputSchema.requiredNames(of: entry.tool))
        for (property, schema) in properties {
            for keyword in StrictSchema.movedKeywords {
                #expect(!schema.jsonText.contains("\"\(keyword)\""), "\(property) keeps \(keyword)")
            }
            let type = schema["type"]
            if required.contains(property) {
                #expect(type?.stringValue != nil)
            } else {
                #expect(type?.arrayValue?.contains("null") == true, "\(property) is optional, so nullable")
                if let values = schema["enum"]?.arrayValue { #expect(values.contains(.null)) }
            }
        }
    }

    @Test func strictModeKeepsTheRulesInTheDescription() throws {
        let entry = try #require(Self.entries.first { $0.tool.name == "datanexus_list_authors" })
        let schema = StrictSchema.schema(for: entry.tool)
        let pageSize = try #require(schema["properties"]?["page_size"]?["description"]?.stringValue)
        #expect(pageSize.contains("minimum 1") && pageSize.contains("maximum 100") && pageSize.contains("default 20"))
    }

    @Test func toolsJSONIsTheFreshOpenAIExport() throws {
        let committed = try String(contentsOf: Self.root.appendingPathComponent("tools.json"), encoding: .utf8)
        let generated = ToolExport.export(Self.entries, format: .openai, strict: false).prettyJSONText
        #expect(
            committed == generated,
            "tools.json is stale: run scripts/generate (or: swift run social-data-mcp tools --format openai > tools.json)"
        )
    }
}
