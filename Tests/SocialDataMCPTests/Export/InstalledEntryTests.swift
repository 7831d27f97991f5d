import Foundation
import Install
import Testing
import Wire

@Suite struct InstalledEntryTests {
    static let shell = Environment(["GEO_API_KEY": "geo_from_the_shell_0001"])

    private func entry(_ client: String, _ text: String) throws -> InstalledEntry? {
        let row = try #require(MCPClient.named(client))
        return try InstalledEntry.parse(text, client: row, path: "/x", environment: Self.shell)
    }

    @Test func valuesAreReadAndReferencesResolvedFromTheEnvironment() throws {
        let text = """
            {"mcpServers": {"social-data": {"command": "/bin/s", "args": ["-q"], "env": {
              "DATANEXUS_API_KEY": "dn_written_0001", "GEO_API_KEY": "${GEO_API_KEY}", "TIKOMNI_API_KEY": "${MISSING}"
            }}}}
            """
        let read = try #require(try entry("claude-code", text))
        #expect(read.command == "/bin/s")
        #expect(read.arguments == ["-q"])
        #expect(read.environment == ["DATANEXUS_API_KEY": "dn_written_0001", "GEO_API_KEY": "geo_from_the_shell_0001"])
        #expect(read.unresolved == ["TIKOMNI_API_KEY": "${MISSING}"])
        #expect(read.written == ["DATANEXUS_API_KEY": "dn_written_0001"])
    }

    @Test func aClientThatExpandsNothingGetsTheTextAsItIs() throws {
        let text =
            "{\"mcpServers\": {\"social-data\": {\"command\": \"c\", \"env\": {\"GEO_API_KEY\": \"${GEO_API_KEY}\"}}}}"
        let read = try #require(try entry("claude-desktop", text))
        #expect(read.environment == ["GEO_API_KEY": "${GEO_API_KEY}"], "Claude Desktop passes it literally")
        let gemini = try #require(
            try entry("gemini-cli", text.replacingOccurrences(of: "${GEO_API_KEY}", with: "$GEO_API_KEY"))
        )
        #expect(gemini.environment == ["GEO_API_KEY": "geo_from_the_shell_0001"])
    }

    @Test func aVSCodePromptCannotBeResolvedHere() throws {
        let text = """
            {
              // comment
              "servers": {"social-data": {"type": "stdio", "command": "c", "env": {
                "GEO_API_KEY": "${input:social-data-GEO_API_KEY}", "SOCIAL_DATA_MCP_TOOLSETS": "${env:GEO_API_KEY}",
              }}}
            }
            """
        let read = try #require(try entry("vscode", text))
        #expect(read.unresolved == ["GEO_API_KEY": "${input:social-data-GEO_API_KEY}"])
        #expect(read.environment == ["SOCIAL_DATA_MCP_TOOLSETS": "geo_from_the_shell_0001"])
    }

    @Test func codexForwardsFromItsEnvironment() throws {
        let text = """
            [mcp_servers.social-data]
            command = "/bin/s"
            args = []
            env = { DATANEXUS_API_KEY = "dn_w_1" }
            env_vars = ["GEO_API_KEY", "TIKOMNI_API_KEY"]
            """
        let read = try #require(try entry("codex", text))
        #expect(read.environment == ["DATANEXUS_API_KEY": "dn_w_1", "GEO_API_KEY": "geo_from_the_shell_0001"])
        #expect(read.unresolved == ["TIKOMNI_API_KEY": "env_vars = [\"TIKOMNI_API_KEY\"]"])
    }

    @Test func noEntryNoFileAndAMalformedFile() throws {
        #expect(try entry("cursor", "{\"mcpServers\": {}}") == nil)
        #expect(throws: ConfigFileError.self) { try entry("cursor", "{\"mcpServers\": ") }
        try withTemporaryHome { home in
            let cursor = try #require(MCPClient.named("cursor"))
            #expect(
                try InstalledEntry.read(
                    client: cursor,
                    scope: nil,
                    home: home,
                    projectDirectory: home,
                    environment: Self.shell
                )
                    == nil
            )
            let path = home + "/.cursor/mcp.json"
            try FileManager.default.createDirectory(atPath: home + "/.cursor", withIntermediateDirectories: true)
            try Data(
                "{\"mcpServers\": {\"social-data\": {\"command\": \"c\", \"env\": {\"GEO_API_KEY\": \"${env:GEO_API_KEY}\"}}}}"
                    .utf8
            )
            .write(to: URL(fileURLWithPath: path))
            let read = try InstalledEntry.read(
                client: cursor,
                scope: .user,
                home: home,
                projectDirectory: home,
                environment: Self.shell
            )
            #expect(read?.path == path)
            #expect(read?.environment["GEO_API_KEY"] == "geo_from_the_shell_0001")
        }
    }

    private func withTemporaryHome(_ body: (String) throws -> Void) throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sdm-entry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        try body(url.path)
    }
}
