import CLI
import Catalog
import Install
import Providers
import Spend
import Testing
import ToolCall
import Wire

@Suite struct InstallSettingsCheckTests {
    @Test(arguments: [
        "dn_live_…", "…", "...", "YOUR_KEY", "your-api-key", "<key>", "<DATANEXUS_API_KEY>", "xxxx", "CHANGEME",
    ])
    func placeholdersAreRefused(_ value: String) {
        #expect(InstallSettingsCheck.placeholderReason(value) != nil)
        #expect(throws: InstallSettingsCheck.Refusal.self) {
            try InstallSettingsCheck.check(["DATANEXUS_API_KEY": value])
        }
    }

    @Test(arguments: ["dn_live_8f2a61c0b9", "0123456789abcdef", "sessionid=abc; ttwid=1%7Cxyz", "../state", "a<b"])
    func realValuesPass(_ value: String) {
        #expect(InstallSettingsCheck.placeholderReason(value) == nil)
    }

    @Test func theServersOwnParsersDecide() throws {
        try InstallSettingsCheck.check([
            "SOCIAL_DATA_MCP_MAX_SPEND_CNY": "20", "SOCIAL_DATA_MCP_TOOLSETS": "geo,datanexus",
        ])
        let cases = [
            ["SOCIAL_DATA_MCP_MAX_SPEND_CNY": "abc"], ["SOCIAL_DATA_MCP_TOOLSETS": "datanexsu"],
            ["SOCIAL_DATA_MCP_TOOLS": "no_such_tool"], ["SOCIAL_DATA_MCP_CACHE_TTL": "-1"],
            ["SOCIAL_DATA_MCP_DAILY_LIMIT_CNY": "lots"],
        ]
        for values in cases {
            // The same message the server prints at start, for the same value.
            var startup: String?
            do {
                let configuration = try ToolServices.configuration(Environment(values))
                _ = try ToolServices.catalog(selection: configuration.selection)
            } catch {
                startup = error.message
            }
            #expect(startup != nil)
            do {
                try InstallSettingsCheck.check(values)
                Issue.record("\(values) was accepted")
            } catch {
                #expect(error.message == startup)
            }
        }
    }

    @Test func aToolCapNoteNamesToolsetsThatFit() throws {
        let trae = try #require(MCPClient.named("trae"))
        let note = try #require(ToolCapNote.text(for: trae, settings: [:]))
        let match = try #require(note.firstMatch(of: /TOOLSETS=([a-z,]+) \((\d+) tools\)/))
        let toolsets = match.output.1.split(separator: ",").map(String.init)
        let configuration = try Configuration(
            environment: Environment(["SOCIAL_DATA_MCP_TOOLSETS": toolsets.joined(separator: ",")])
        )
        let catalog = try ToolServices.catalog(selection: configuration.selection)
        #expect(catalog.entries.count == Int(match.output.2))
        #expect(catalog.entries.count <= 40)
        #expect(ToolCapNote.text(for: trae, settings: ["SOCIAL_DATA_MCP_TOOLSETS": "geo"]) == nil)
        #expect(ToolCapNote.text(for: try #require(MCPClient.named("cursor")), settings: [:]) == nil)
        // The catalog profile is offered, and an entry that uses it lists 4 tools: no note.
        #expect(note.contains("SOCIAL_DATA_MCP_PROFILE=catalog"))
        #expect(ToolCapNote.text(for: trae, settings: ["SOCIAL_DATA_MCP_PROFILE": "catalog"]) == nil)
        let catalogProfile = try ToolServices.catalog(selection: ToolSelection(), profile: .catalog)
        #expect(catalogProfile.listed.count == 4 && catalogProfile.entries.count == ToolServices.entries.count + 2)
    }
}
