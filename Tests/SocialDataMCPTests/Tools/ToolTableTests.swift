import Catalog
import Spend
import Testing
import ToolCall

/// Invariants every row of the one table must hold.
@Suite struct ToolTableTests {
    static let entries = ToolServices.entries
    static let names = entries.map(\.tool.name)

    @Test func namesAreUniqueAndValidEverywhere() {
        #expect(Set(Self.names).count == Self.names.count, "duplicate tool names")
        for name in Self.names {
            #expect(name.wholeMatch(of: /[a-z][a-z0-9_]{0,47}/) != nil, "\(name) is not a valid tool name")
            // Claude Code prefixes mcp__social-data__; OpenAI and Anthropic allow 64 characters.
            #expect(("mcp__social-data__" + name).count <= 64)
        }
    }

    @Test(arguments: entries.map(\.tool.name))
    func rowIsConsistent(_ name: String) throws {
        let entry = try #require(Self.entries.first { $0.tool.name == name })
        let tool = entry.tool
        #expect(name.hasPrefix(entry.toolset.id + "_"), "tool names start with their toolset")
        #expect(tool.description.contains(tool.price.sentence), "the description states the price")
        #expect(!tool.title.isEmpty && !tool.summary.isEmpty)

        let parameterNames = tool.parameters.map(\.name)
        #expect(Set(parameterNames).count == parameterNames.count, "duplicate parameter")
        for parameter in tool.parameters {
            if case .string(nil, _) = parameter.kind {
                // A choice, a number or a switch can say it all by name and bounds; free text
                // (an id, a keyword) needs to say where it comes from or what it looks like.
                #expect(!SchemaText.describe(parameter).isEmpty, "\(parameter.name) is free text without a description")
            }
            if let scope = parameter.scope {
                #expect(parameterNames.contains(scope.parameter), "\(parameter.name)'s scope names an unknown argument")
            }
        }
        for endpoint in tool.route.endpoints {
            for placeholder in Self.placeholders(in: endpoint.path) {
                let parameter = try #require(
                    tool.parameter(named: placeholder.name),
                    "\(endpoint.path) needs \(placeholder.name)"
                )
                #expect(parameter.location == .path)
                if !placeholder.isOptional {
                    #expect(parameter.isRequired, "path parameter \(placeholder.name) must be required")
                }
            }
        }
        for parameter in tool.parameters where parameter.location == .path {
            #expect(
                tool.route.endpoints.contains { endpoint in
                    Self.placeholders(in: endpoint.path).contains { $0.name == parameter.name }
                },
                "\(parameter.name) is a path argument no path uses"
            )
        }
        if case .choice(let selector, let endpoints, let fallback) = tool.route {
            let parameter = try #require(tool.parameter(named: selector))
            #expect(parameter.location == .route)
            #expect(parameter.isRequired != (fallback != nil), "a route selector is required or has a default")
            if let fallback {
                #expect(parameter.defaultValue == .string(fallback), "the schema shows the default route")
            }
            guard case .choice(let values) = parameter.kind else {
                Issue.record("\(selector) must be an enum")
                return
            }
            #expect(Set(values) == Set(endpoints.keys), "every \(selector) value has a route")
        }
        for constraint in tool.constraints {
            switch constraint {
            case .together(let names), .exclusive(let names, _):
                for name in names { #expect(parameterNames.contains(name)) }
            case .dateSpan(let from, let to, _), .ascending(let from, let to):
                #expect(parameterNames.contains(from) && parameterNames.contains(to))
            }
        }
        if tool.price.isPaid { #expect(parameterNames.contains("dry_run")) }
        if !tool.effect.isReadOnly { #expect(!tool.isCacheable, "writes are never cached") }
    }

    @Test(arguments: entries.map(\.tool.name))
    func schemaIsAnObjectSchemaOfTypedProperties(_ name: String) throws {
        let entry = try #require(Self.entries.first { $0.tool.name == name })
        let schema = InputSchema.schema(for: entry.tool)
        #expect(schema["type"] == "object")
        let properties = try #require(schema["properties"]?.objectValue)
        #expect(properties.count == entry.tool.parameters.count)
        for (property, propertySchema) in properties {
            if let description = propertySchema["description"] {
                #expect(description.stringValue?.isEmpty == false, "\(property) has an empty description")
            }
            let type = propertySchema["type"]?.stringValue
            #expect(
                ["string", "integer", "number", "boolean", "array", "object"].contains(type ?? ""),
                "\(property): \(type ?? "no type")"
            )
            if type == "array" { #expect(propertySchema["items"]?["type"] != nil) }
            if let minimum = propertySchema["minimum"]?.intValue, let maximum = propertySchema["maximum"]?.intValue {
                #expect(minimum <= maximum)
            }
            if let values = propertySchema["enum"]?.arrayValue { #expect(!values.isEmpty) }
        }
        for required in schema["required"]?.arrayValue ?? [] {
            #expect(properties[required.stringValue ?? ""] != nil, "required \(required) is not a property")
        }
    }

    /// The tools the issue names as free reads: everything else can spend money or create
    /// paid work, and must not be approved as read-only.
    static let freeReads: Set<String> = [
        "datanexus_list_platforms", "datanexus_get_pricing", "datanexus_get_catalog", "datatrust_search_models",
        "datatrust_search_datasets", "datatrust_list_products", "datatrust_get_account", "creativault_verify_webhook",
        "social_data_usage", "social_data_read_result",
    ]

    @Test(arguments: entries.map(\.tool.name))
    func annotationsAreHonestAboutMoney(_ name: String) throws {
        let entry = try #require(Self.entries.first { $0.tool.name == name })
        let tool = entry.tool
        let isBilled: Bool
        switch tool.price {
        case .free: isBilled = false
        case .perItem, .reportedByProvider, .undisclosed: isBilled = true
        }
        let createsWork = tool.effect == .createsPaidWork || tool.effect == .passthrough
        let canSpend = isBilled || createsWork
        let annotations = try #require(entry.mcpJSON["annotations"]?.objectValue)
        #expect(annotations["readOnlyHint"] == .bool(!canSpend), "a tool that can spend is not read-only")
        if canSpend {
            #expect(annotations["idempotentHint"] == nil, "MCP's default, false: calling it again charges again")
            #expect(annotations["destructiveHint"] == false, "spending is additive, nothing is deleted")
        } else {
            // Both only mean something when readOnlyHint is false; the bytes are not spent.
            #expect(annotations["idempotentHint"] == nil && annotations["destructiveHint"] == nil)
        }
        #expect(annotations["openWorldHint"] == (tool.effect == .local ? false : nil), "openWorldHint defaults to true")
        #expect(canSpend != (name.hasPrefix("geo_") || Self.freeReads.contains(name)), "the issue's list of free reads")
        #expect(entry.mcpJSON["title"]?.stringValue?.isEmpty == false, "every tool has a title")
    }

    @Test func theSeedsOpenAIListBugCannotExist() {
        // The DataNexus seed names two tools datanexus_<platform>_detail per platform;
        // here a platform is an argument, so no name can be repeated or per-platform.
        for name in Self.names {
            #expect(
                !["xiaohongshu", "douyin_", "channels", "kuaishou"].contains {
                    name.contains($0) && name.hasPrefix("datanexus")
                }
            )
        }
    }

    private struct Placeholder {
        let name: String
        let isOptional: Bool
    }

    private static func placeholders(in path: String) -> [Placeholder] {
        var result: [Placeholder] = []
        var rest = Substring(path)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            var name = rest[rest.index(after: open)..<close]
            let isOptional = name.hasPrefix("/")
            if isOptional { name = name.dropFirst() }
            result.append(Placeholder(name: String(name), isOptional: isOptional))
            rest = rest[rest.index(after: close)...]
        }
        return result
    }
}

/// Every priced row's worst case, from its own parameters: a quote and a schema can never
/// disagree about how many items a call may return.
@Suite struct WorstCaseTableTests {
    static let priced = ToolServices.entries.filter {
        if case .perItem = $0.tool.price { return true }
        return false
    }.map(\.tool.name)

    @Test(arguments: priced)
    func theWorstCaseIsThePriceTimesTheParametersBound(_ name: String) throws {
        let tool = try #require(ToolServices.entries.first { $0.tool.name == name }?.tool)
        guard case .perItem(let unitPrice, _, let bound, _) = tool.price else { return }
        switch bound {
        case .fixed(let count):
            #expect(CallCost(price: tool.price, arguments: [:]).worstCase == unitPrice.times(count))
        case .argument(let parameter):
            // The bound is the row's own parameter, with the schema's default and maximum.
            let own = try #require(
                tool.parameter(named: parameter.name),
                "\(parameter.name) is one of \(name)'s arguments"
            )
            guard case .integer(let range?) = own.kind else {
                Issue.record("\(parameter.name) is not a bounded integer")
                return
            }
            let defaultCount = try #require(own.defaultValue?.intValue, "\(parameter.name) has a default")
            #expect(CallCost(price: tool.price, arguments: [:]).worstCase == unitPrice.times(defaultCount))
            #expect(
                CallCost(price: tool.price, arguments: [parameter.name: .int(range.upperBound)]).worstCase
                    == unitPrice.times(range.upperBound)
            )
            #expect(
                CallCost(price: tool.price, arguments: [parameter.name: .int(range.lowerBound)]).worstCase
                    == unitPrice.times(range.lowerBound)
            )
            let schema = InputSchema.schema(for: tool).jsonText
            #expect(schema.contains("\"maximum\":\(range.upperBound)"), "the schema states the same bound")
        }
    }
}
