import Locking
import MCP
import Spend
import Testing
import ToolCall
import Wire

/// The request handling, in memory: no process, no pipes.
@Suite struct MCPServerTests {
    final class Sent: Sendable {
        let messages = Locked<[JSONValue]>([])
    }

    private func makeServer(_ environment: [String: String] = [:], pageSize: Int = 100) throws -> (MCPServer, Sent) {
        let configuration = try Configuration(environment: Environment(environment))
        let services = try ToolServices(configuration: configuration, transport: ScriptedTransport([]))
        let sent = Sent()
        let server = MCPServer(
            application: ServerApplication(services: services),
            toolsPageSize: pageSize,
            notify: { message in sent.messages.withLock { $0.append(message) } },
            diagnostics: { _ in }
        )
        return (server, sent)
    }

    private func request(
        _ server: MCPServer,
        _ method: String,
        _ params: [String: JSONValue] = [:],
        id: Int = 1
    ) async -> JSONValue {
        await server.handle(RPCRequest(id: .int(id), method: method, params: params))
    }

    static let modernMeta: JSONValue = [
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": [:],
    ]

    @Test func toolsListPagesWithOpaqueCursors() async throws {
        let (server, _) = try makeServer(pageSize: 4)
        _ = await request(server, "initialize", ["protocolVersion": "2025-11-25"])
        var names: [String] = []
        var cursor: JSONValue?
        repeat {
            var params: [String: JSONValue] = [:]
            if let cursor { params["cursor"] = cursor }
            let response = await request(server, "tools/list", params)
            let page = response["result"]?["tools"]?.arrayValue ?? []
            #expect(page.count <= 4)
            names += page.compactMap { $0["name"]?.stringValue }
            cursor = response["result"]?["nextCursor"]
        } while cursor != nil
        #expect(names == ToolServices.entries.map(\.tool.name))
        let bad = await request(server, "tools/list", ["cursor": "nonsense"])
        #expect(bad["error"]?["code"] == -32602)
    }

    @Test func modernRequestsNeedNoInitializeAndCarryResultTypeAndServerInfo() async throws {
        let (server, _) = try makeServer()
        let list = await request(server, "tools/list", ["_meta": Self.modernMeta])
        #expect(list["result"]?["resultType"] == "complete")
        #expect(list["result"]?["ttlMs"]?.intValue ?? 0 > 0)
        #expect(list["result"]?["cacheScope"] == "private")
        #expect(list["result"]?["_meta"]?["io.modelcontextprotocol/serverInfo"]?["name"] == "social-data-mcp")
        // The legacy session is still closed.
        let legacy = await request(server, "tools/list")
        #expect(legacy["error"]?["code"] == -32602)
    }

    @Test func discoverAdvertisesBothEras() async throws {
        let (server, _) = try makeServer()
        let response = await request(server, "server/discover", ["_meta": Self.modernMeta])
        let result = try #require(response["result"])
        #expect(result["supportedVersions"] == ["2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"])
        #expect(result["resultType"] == "complete")
        #expect(result["capabilities"]?["tools"] != nil)
        #expect(result["instructions"]?.stringValue?.isEmpty == false)
        #expect(result["ttlMs"] != nil && result["cacheScope"] != nil)
    }

    @Test func unsupportedModernVersionListsTheSupportedOnes() async throws {
        let (server, _) = try makeServer()
        let response = await request(
            server,
            "tools/list",
            [
                "_meta": [
                    "io.modelcontextprotocol/protocolVersion": "2099-01-01",
                    "io.modelcontextprotocol/clientCapabilities": [:],
                ]
            ]
        )
        #expect(response["error"]?["code"] == -32022)
        #expect(response["error"]?["data"]?["requested"] == "2099-01-01")
        #expect(response["error"]?["data"]?["supported"]?.arrayValue?.contains("2026-07-28") == true)
    }

    @Test func modernRequestWithoutCapabilitiesIsInvalidParams() async throws {
        let (server, _) = try makeServer()
        let response = await request(
            server,
            "tools/list",
            ["_meta": ["io.modelcontextprotocol/protocolVersion": "2026-07-28"]]
        )
        #expect(response["error"]?["code"] == -32602)
    }

    @Test func modernLogLevelIsValidatedPerRequest() async throws {
        let (server, _) = try makeServer()
        var meta = Self.modernMeta.objectValue ?? [:]
        meta["io.modelcontextprotocol/logLevel"] = "loud"
        let response = await request(server, "tools/call", ["name": "social_data_usage", "_meta": .object(meta)])
        #expect(response["error"]?["code"] == -32602)
    }

    @Test func unknownAndHiddenToolsAreInvalidParams() async throws {
        let (server, _) = try makeServer(["SOCIAL_DATA_MCP_READ_ONLY": "1"])
        _ = await request(server, "initialize", ["protocolVersion": "2025-11-25"])
        let unknown = await request(server, "tools/call", ["name": "nope"])
        #expect(unknown["error"]?["code"] == -32602)
        let hidden = await request(
            server,
            "tools/call",
            ["name": "datanexus_generate_image", "arguments": ["prompt": "x"]]
        )
        #expect(hidden["error"]?["code"] == -32602)
        #expect(hidden["error"]?["message"]?.stringValue?.contains("SOCIAL_DATA_MCP_READ_ONLY") == true)
    }

    @Test func everyUnknownMethodIsMethodNotFound() async throws {
        let (server, _) = try makeServer()
        for method in ["resources/subscribe", "roots/list", "completion/complete", "notifications/initialized", ""] {
            let response = await request(server, method)
            #expect(response["error"]?["code"] == -32601, "\(method)")
        }
    }
}
