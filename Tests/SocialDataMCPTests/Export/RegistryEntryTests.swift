import CLI
import MCPBundle
import Testing
import ToolCall
import Wire

@Suite("MCP Registry entry (server.json)")
struct RegistryEntryTests {
    let repository = RegistryEntry.Repository("acme/social-data-mcp")

    @Test func theEntryComesFromTheBundlesFacts() throws {
        let repository = try #require(repository)
        let packages = [
            RegistryEntry.Package(
                url: "https://github.com/acme/social-data-mcp/releases/download/v1/a.mcpb",
                sha256: "ab"
            ),
            RegistryEntry.Package(
                url: "https://github.com/acme/social-data-mcp/releases/download/v1/b.mcpb",
                sha256: "cd"
            ),
        ]
        let entry = RegistryEntry.entry(repository: repository, packages: packages)
        #expect(entry["name"] == "io.github.acme/social-data-mcp")
        #expect(entry["version"] == .string(ServerIdentity.version))
        #expect(entry["repository"] == ["url": "https://github.com/acme/social-data-mcp", "source": "github"])
        #expect(entry["$schema"] == .string(RegistryEntry.schemaURL))
        let description = try #require(entry["description"]?.stringValue)
        #expect(description.count <= 100, "the registry's limit")
        let rows = try #require(entry["packages"]?.arrayValue)
        #expect(rows.map { $0["fileSha256"] } == ["ab", "cd"])
        #expect(rows.allSatisfy { $0["registryType"] == "mcpb" && $0["transport"] == ["type": "stdio"] })
        let variables = try #require(rows.first?["environmentVariables"]?.arrayValue)
        #expect(variables.compactMap { $0["name"]?.stringValue } == BundleManifest.settings.map(\.variable))
        for (variable, setting) in zip(variables, BundleManifest.settings) {
            #expect(variable["isSecret"] == .bool(setting.isSensitive), "\(setting.variable)")
            #expect(variable["isRequired"] == false)
            #expect(variable["description"] == .string(setting.meaning))
        }
        let secrets = Set(variables.filter { $0["isSecret"] == true }.compactMap { $0["name"]?.stringValue })
        #expect(secrets == Set(ToolServices.settings.filter(\.isSecret).map(\.variable)))
    }

    @Test func theRepositoryIsAPlainGitHubNameOrComesFromAReleaseURL() {
        #expect(RegistryEntry.Repository("acme/social-data-mcp")?.serverName == "io.github.acme/social-data-mcp")
        for junk in ["acme", "acme/", "/x", "a/b/c", "a b/c", "acme/x?y", ""] {
            #expect(RegistryEntry.Repository(junk) == nil, "\(junk)")
        }
        let derived = RegistryEntry.Repository(
            releaseURL: "https://github.com/acme/sdm/releases/download/v0.1.0/social-data-mcp-0.1.0-linux-x86_64.mcpb"
        )
        #expect(derived == RegistryEntry.Repository("acme/sdm"))
        #expect(RegistryEntry.Repository(releaseURL: "https://example.com/acme/sdm/releases/download/v1/x") == nil)
        #expect(RegistryEntry.Repository(releaseURL: "https://github.com/acme/sdm/archive/v1.zip") == nil)
    }
}
