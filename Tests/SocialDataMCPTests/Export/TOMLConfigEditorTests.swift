import SocialDataMCP
import Testing

@Suite struct TOMLConfigEditorTests {
    let editor = TOMLConfigEditor()

    private func upsert(_ text: String, environment: [String: String] = ["GEO_API_KEY": "k\"ey"]) throws -> String? {
        try editor.upsert(
            command: "/opt/social-data-mcp",
            arguments: [],
            environment: environment,
            named: "social-data",
            under: "mcp_servers",
            in: text
        )
    }

    @Test func appendsAfterEverythingElse() throws {
        let original = """
            # my codex config
            model = "gpt-5-codex"

            [mcp_servers.github]
            command = "gh"  # the GitHub server
            args = ["mcp", 'serve']
            """
        let text = try #require(try upsert(original))
        #expect(text.hasPrefix(original + "\n\n[mcp_servers.social-data]\n"))
        #expect(text.contains("command = \"/opt/social-data-mcp\"\nargs = []\nenv = { GEO_API_KEY = \"k\\\"ey\" }\n"))
        #expect(try upsert(text) == nil, "a second run changes nothing")
    }

    @Test func replacesTheOldTableAndItsSubtablesOnly() throws {
        let original = """
            [mcp_servers.social-data]
            command = "/old"

            [mcp_servers.social-data.env]
            DATANEXUS_API_KEY = "old"

            [profiles.fast]
            model = "mini"
            """
        let text = try #require(try upsert(original, environment: [:]))
        #expect(
            text
                == "[mcp_servers.social-data]\ncommand = \"/opt/social-data-mcp\"\nargs = []\n\n[profiles.fast]\nmodel = \"mini\""
        )
    }

    @Test(arguments: [
        "model = ", "[mcp_servers", "key = \"unterminated", "a = 1\na = 2", "[t]\n[t]", "x = [1, 2", "x = {a = 1,}",
        "= 3",
        "x = 1 y = 2", "x = \"\\q\"", "x = nonsense",
    ])
    func malformedFilesAreRefused(_ text: String) {
        #expect(throws: TOMLConfigEditor.Malformed.self) { try upsert(text) }
    }

    @Test func acceptsTheTOMLItDoesNotWrite() throws {
        let rich = """
            title = 'literal'
            multi = \"\"\"
            several
            lines\"\"\"
            numbers = [1_000, 0x1F, 3.14, -2e3, inf, nan]
            when = 2026-11-22T10:00:00Z
            day = 2026-11-22
            inline = { a = 1, b.c = "d" }
            nested = [[1, 2], ["a"],]  # trailing comma

            [[products]]
            name = "a"
            [[products]]
            name = "b"
            """
        #expect(try upsert(rich) != nil)
    }

    @Test func anEntryWrittenAnotherWayIsNotGuessedAt() {
        #expect(throws: TOMLConfigEditor.Malformed.self) {
            try upsert("[mcp_servers]\nsocial-data = { command = \"x\" }\n")
        }
        #expect(throws: TOMLConfigEditor.Malformed.self) { try upsert("mcp_servers.social-data.command = \"x\"\n") }
    }
}
