import Foundation
import Install
import Testing
import Wire

@Suite struct MCPClientTests {
    @Test func everyRowIsWhole() {
        #expect(Set(MCPClient.all.map(\.name)).count == MCPClient.all.count, "names are unique")
        for client in MCPClient.all {
            #expect(client.locations[client.defaultScope] != nil, "\(client.name): its default scope has a file")
            #expect(!client.container.isEmpty)
            #expect(client.format == .toml ? client.container == "mcp_servers" : true)
            #expect(!client.promptsForSecrets || client.references.expands, "a prompt needs a client that expands")
        }
    }

    @Test func eachClientWritesItsOwnReference() {
        let forms = Dictionary(
            uniqueKeysWithValues: MCPClient.all.map { ($0.name, $0.referenceForm("K", secret: true)) }
        )
        #expect(forms["claude-code"] == "${K}")
        #expect(forms["cursor"] == "${env:K}")
        #expect(forms["windsurf"] == "${env:K}")
        #expect(forms["vscode"] == "${input:social-data-K}")
        #expect(MCPClient.named("vscode")?.referenceForm("K", secret: false) == "${env:K}")
        #expect(forms["gemini-cli"] == "$K")
        #expect(forms["codex"] == "env_vars = [\"K\"]")
        for name in ["claude-desktop", "trae", "cherry-studio"] {
            #expect(MCPClient.named(name)?.references.expands == false, "\(name) expands nothing")
        }
    }

    @Test func theNewClientsLiveWhereTheirDocumentationSays() throws {
        let home = "/h"
        let project = "/p"
        func path(_ name: String, _ scope: ConfigScope) -> String? {
            MCPClient.named(name)?.locations[scope]?.path(home: home, projectDirectory: project)
        }
        let settings = Platform.applicationSettingsDirectory(home: home)
        #expect(path("gemini-cli", .user) == "/h/.gemini/settings.json")
        #expect(path("gemini-cli", .project) == "/p/.gemini/settings.json")
        #expect(path("windsurf", .user) == "/h/.codeium/windsurf/mcp_config.json")
        #expect(path("windsurf", .project) == nil)
        #expect(path("trae", .user) == settings + "/Trae/User/mcp.json")
        #expect(path("trae", .project) == "/p/.trae/mcp.json")
        #expect(MCPClient.named("trae")?.toolCap == 40)
        #expect(MCPClient.named("cherry-studio")?.format == .pasted)
        #expect(MCPClient.named("claude") == nil)
    }

    @Test(
        arguments: [
            ("${A_1}", "A_1"), ("${env:KEY}", "KEY"), ("$KEY", "KEY"), ("plain", nil), ("$", nil), ("${}", nil),
            ("${input:x}", nil), ("$1A", nil), ("dn_live_$x", nil),
        ] as [(String, String?)]
    )
    func referencesAreRecognisedInEverySpelling(_ value: String, _ variable: String?) {
        #expect(ReferenceSyntax.referencedVariable(in: value) == variable)
    }
}
