import Export
import Locking
import MCP
import Providers
import Spend
import Testing
import ToolCall
import Wire

/// `tools/list` is read in every conversation: it stays within its budget, and what the
/// tools share is said once, in the instructions.
@Suite struct ToolListBudgetTests {
    static let entries = ToolServices.entries

    private func makeServer(_ environment: [String: String] = [:]) throws -> MCPServer {
        let configuration = try Configuration(environment: Environment(environment))
        let services = try ToolServices(configuration: configuration, transport: ScriptedTransport([]))
        return MCPServer(application: ServerApplication(services: services), notify: { _ in }, diagnostics: { _ in })
    }

    private func initialize(_ server: MCPServer) async -> JSONValue {
        await server.handle(RPCRequest(id: .int(1), method: "initialize", params: ["protocolVersion": "2025-11-25"]))
    }

    @Test func theWholeTableFitsTheBudget() {
        let bytes = ToolExport.toolsListBytes(Self.entries)
        #expect(bytes <= ToolExport.toolsListBudget, "tools/list is \(bytes) bytes for \(Self.entries.count) tools")
        #expect(ToolExport.toolsListBudget == 30_000)
    }

    @Test func theMeasureIsWhatTheServerWrites() async throws {
        let server = try makeServer()
        _ = await initialize(server)
        let response = await server.handle(RPCRequest(id: .int(2), method: "tools/list", params: [:]))
        let tools = try #require(response["result"]?["tools"])
        #expect(tools.jsonBytes.count == ToolExport.toolsListBytes(Self.entries))
        let sizes = ToolExport.toolsListSizes(Self.entries)
        #expect(sizes.first?.toolset == "all" && sizes.first?.bytes == tools.jsonBytes.count)
        for size in sizes.dropFirst() {
            let oneToolset = try makeServer(["SOCIAL_DATA_MCP_TOOLSETS": size.toolset])
            _ = await initialize(oneToolset)
            let listed = await oneToolset.handle(RPCRequest(id: .int(2), method: "tools/list", params: [:]))
            #expect(listed["result"]?["tools"]?.jsonBytes.count == size.bytes, "\(size.toolset)")
            #expect(listed["result"]?["tools"]?.arrayValue?.count == size.tools, "\(size.toolset)")
        }
    }

    @Test func theCatalogProfileListsFourToolsWithin4000Bytes() async throws {
        let server = try makeServer(["SOCIAL_DATA_MCP_PROFILE": "catalog"])
        let initialized = await initialize(server)
        let response = await server.handle(RPCRequest(id: .int(2), method: "tools/list", params: [:]))
        let tools = try #require(response["result"]?["tools"])
        #expect(tools.arrayValue?.count == 4)
        #expect(tools.jsonBytes.count <= 4_000, "catalog tools/list is \(tools.jsonBytes.count) bytes")
        let instructions = initialized["result"]?["instructions"]?.stringValue ?? ""
        #expect(instructions.contains("social_data_find_tools") && instructions.contains("social_data_call_tool"))
        #expect(throws: (any Error).self) { try makeServer(["SOCIAL_DATA_MCP_PROFILE": "tiny"]) }
        let named = try makeServer(["SOCIAL_DATA_MCP_PROFILE": "catalog", "SOCIAL_DATA_MCP_TOOLS": "geo_brand_trend"])
        _ = await initialize(named)
        let namedList = await named.handle(RPCRequest(id: .int(2), method: "tools/list", params: [:]))
        #expect(namedList["result"]?["tools"]?.arrayValue?.count == 4, "exact tool names keep the catalog tools listed")
    }

    @Test func billingProseIsInTheInstructionsOnceAndNotOnTheTools() async throws {
        let server = try makeServer()
        let initialized = await initialize(server)
        let instructions = try #require(initialized["result"]?["instructions"]?.stringValue)
        let listing = ToolExport.export(Self.entries, format: .mcp, strict: false).jsonText
        for entry in Self.entries where entry.tool.price.isPaid {
            guard var note = entry.tool.price.note else { continue }
            while note.hasSuffix(".") { note.removeLast() }
            #expect(
                instructions.components(separatedBy: note).count == 2,
                "\(entry.tool.name): once in the instructions"
            )
            #expect(!listing.contains(note), "\(entry.tool.name): not repeated on the tools")
        }
        for control in ["dry_run: true", "max_age", "TIKOMNI_DOUYIN_COOKIE"] {
            #expect(instructions.contains(control), "the instructions explain \(control)")
        }
        #expect(!listing.contains("social-data-mcp/price"), "no price in _meta: it is in the description")
    }

    @Test func instructionsOnlyDescribeExposedProviders() async throws {
        let server = try makeServer(["SOCIAL_DATA_MCP_TOOLSETS": "geo"])
        let initialized = await initialize(server)
        let instructions = try #require(initialized["result"]?["instructions"]?.stringValue)
        #expect(instructions.contains("GEO (geo_*)"))
        #expect(!instructions.contains("TikOmni") && !instructions.contains("TIKOMNI_DOUYIN_COOKIE"))
    }
}
