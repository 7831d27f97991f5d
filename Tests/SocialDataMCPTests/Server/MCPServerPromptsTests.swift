import MCP
import Providers
import Spend
import Testing
import ToolCall
import Wire

/// `prompts/list` and `prompts/get` in both eras, in memory.
@Suite struct MCPServerPromptsTests {
    static let modernMeta: JSONValue = [
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": [:],
    ]

    private func makeServer(_ environment: [String: String] = [:], legacy: Bool = true) async throws -> MCPServer {
        let configuration = try Configuration(environment: Environment(environment))
        let services = try ToolServices(configuration: configuration, transport: ScriptedTransport([]))
        let server = MCPServer(
            application: ServerApplication(services: services),
            notify: { _ in },
            diagnostics: { _ in }
        )
        if legacy {
            _ = await server.handle(
                RPCRequest(id: .int(0), method: "initialize", params: ["protocolVersion": "2025-06-18"])
            )
        }
        return server
    }

    private func request(_ server: MCPServer, _ method: String, _ params: [String: JSONValue] = [:]) async -> JSONValue
    {
        await server.handle(RPCRequest(id: .int(1), method: method, params: params))
    }

    private func names(_ response: JSONValue) -> [String] {
        response["result"]?["prompts"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
    }

    @Test func bothErasAdvertiseListAndGetThePrompts() async throws {
        let legacy = try await makeServer(legacy: false)
        let initialized = await request(legacy, "initialize", ["protocolVersion": "2025-11-25"])
        #expect(initialized["result"]?["capabilities"]?["prompts"] == ["listChanged": false])
        #expect(names(await request(legacy, "prompts/list")) == PromptTable.prompts.map(\.name))

        let modern = try await makeServer(legacy: false)
        let discovered = await request(modern, "server/discover", ["_meta": Self.modernMeta])
        #expect(discovered["result"]?["capabilities"]?["prompts"] != nil)
        let listed = await request(modern, "prompts/list", ["_meta": Self.modernMeta])
        #expect(names(listed) == PromptTable.prompts.map(\.name))
        #expect(listed["result"]?["resultType"] == "complete" && listed["result"]?["ttlMs"] != nil)
        let got = await request(
            modern,
            "prompts/get",
            ["_meta": Self.modernMeta, "name": "brand_visibility_in_ai", "arguments": ["brand": "示例品牌", "days": "14"]]
        )
        #expect(got["result"]?["resultType"] == "complete")
        let message = try #require(got["result"]?["messages"]?.arrayValue?.first)
        #expect(message["role"] == "user")
        #expect(message["content"]?["text"]?.stringValue?.contains("geo_competitors with days 14") == true)
    }

    @Test func missingArgumentsAndUnknownPromptsAreInvalidParams() async throws {
        let server = try await makeServer()
        let missing = await request(server, "prompts/get", ["name": "xiaohongshu_topic_scan"])
        #expect(missing["error"]?["code"] == -32602)
        #expect(missing["error"]?["message"]?.stringValue?.contains("keywords") == true)
        let unknown = await request(server, "prompts/get", ["name": "nope", "arguments": [:]])
        #expect(unknown["error"]?["code"] == -32602)
        let nameless = await request(server, "prompts/get")
        #expect(nameless["error"]?["code"] == -32602)
        let notAString = await request(
            server,
            "prompts/get",
            ["name": "brand_visibility_in_ai", "arguments": ["brand": "x", "days": 7]]
        )
        #expect(notAString["error"]?["code"] == -32602, "prompt arguments are strings")
        let badCursor = await request(server, "prompts/list", ["cursor": "more"])
        #expect(badCursor["error"]?["code"] == -32602)
    }

    @Test func aPromptWhoseToolsAreHiddenIsHiddenToo() async throws {
        let geo = try await makeServer(["SOCIAL_DATA_MCP_TOOLSETS": "geo"])
        #expect(names(await request(geo, "prompts/list")) == ["brand_visibility_in_ai"])
        let hidden = await request(geo, "prompts/get", ["name": "diagnose_douyin_account"])
        #expect(hidden["error"]?["code"] == -32602)
        #expect(hidden["error"]?["message"]?.stringValue?.contains("hidden") == true)

        let exact = try await makeServer([
            "SOCIAL_DATA_MCP_TOOLS": "geo_list_brands,geo_brand_trend,datanexus_list_works"
        ])
        #expect(names(await request(exact, "prompts/list")) == ["xiaohongshu_topic_scan"])

        let datanexus = try await makeServer([
            "SOCIAL_DATA_MCP_TOOLSETS": "datanexus", "SOCIAL_DATA_MCP_READ_ONLY": "1",
        ])
        #expect(names(await request(datanexus, "prompts/list")) == ["find_similar_creators", "xiaohongshu_topic_scan"])
        let tiktok = await request(
            datanexus,
            "prompts/get",
            ["name": "find_similar_creators", "arguments": ["creator": "x", "platform": "tiktok"]]
        )
        #expect(tiktok["error"]?["code"] == -32602, "tiktok needs CreatiVault, which is hidden")
    }
}
