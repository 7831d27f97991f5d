import Catalog
import Testing
import ToolCall

/// A team member's own toolsets narrow what the server exposes, never widen it.
@Suite struct ToolCatalogRestrictedTests {
    @Test func onlyTheMembersToolsetsAndTheServersOwnRemain() throws {
        let server = try ToolServices.catalog(selection: ToolSelection(toolsets: ["geo", "datanexus"]))
        let member = server.restricted(
            toToolsets: ["geo", "datatrust"],
            alwaysExposed: [ServerToolset.id],
            because: "not yours"
        )
        let toolsets = Set(member.entries.map(\.toolset.id))
        #expect(toolsets == ["geo", ServerToolset.id], "datatrust was never exposed, datanexus is not the member's")
        #expect(member.listed.map(\.tool.name) == member.entries.map(\.tool.name))
        #expect(member.entry(named: "datanexus_get_author") == nil)
        #expect(member.hiddenReason("datanexus_get_author") == "not yours")
        #expect(member.entry(named: "social_data_usage") != nil)
        #expect(server.entry(named: "datanexus_get_author") != nil, "the server's own catalog is untouched")
    }
}
