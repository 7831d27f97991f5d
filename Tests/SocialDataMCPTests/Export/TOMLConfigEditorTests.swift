import Install
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

    @Test func updatesOnlyTheServersKeysKeepingTheUsersAndFoldingEnv() throws {
        let original = """
            [mcp_servers.social-data]
            tool_timeout_sec = 90 # mine
            command = "/old"

            [mcp_servers.social-data.env]
            DATANEXUS_API_KEY = "old"

            [mcp_servers.social-data.tools.geo_list_brands]
            approval_mode = "never"

            [profiles.fast]
            model = "mini"
            """
        let text = try #require(try upsert(original, environment: ["GEO_API_KEY": "g"]))
        #expect(
            text == """
                [mcp_servers.social-data]
                command = "/opt/social-data-mcp"
                args = []
                env = { DATANEXUS_API_KEY = "old", GEO_API_KEY = "g" }
                tool_timeout_sec = 90 # mine

                [mcp_servers.social-data.tools.geo_list_brands]
                approval_mode = "never"

                [profiles.fast]
                model = "mini"
                """
        )
        #expect(try upsert(text, environment: ["GEO_API_KEY": "g"]) == nil, "a second run changes nothing")
    }

    @Test func forwardedVariablesGoToEnvVarsAndLeaveEnv() throws {
        let first = try #require(
            try editor.upsert(
                command: "/x",
                arguments: [],
                environment: ["DATANEXUS_API_KEY": "secret", "SOCIAL_DATA_MCP_MAX_SPEND_CNY": "20"],
                named: "social-data",
                under: "mcp_servers",
                in: "model = \"m\"\n"
            )
        )
        let second = try #require(
            try editor.upsert(
                command: "/x",
                arguments: [],
                environment: [:],
                forwarded: ["DATANEXUS_API_KEY"],
                named: "social-data",
                under: "mcp_servers",
                in: first
            )
        )
        #expect(!second.contains("secret"))
        #expect(
            second.contains("env = { SOCIAL_DATA_MCP_MAX_SPEND_CNY = \"20\" }\nenv_vars = [\"DATANEXUS_API_KEY\"]\n")
        )
    }

    @Test func removeTakesBackExactlyWhatAnInstallAdded() throws {
        for original in [
            "", "model = \"m\" # keep\n", "[mcp_servers.github]\ncommand = \"gh\"\n\n[profiles.x]\nmodel = \"y\"\n",
        ] {
            let installed = try #require(try upsert(original))
            #expect(try editor.remove(named: "social-data", under: "mcp_servers", in: installed) == original)
        }
        let middle =
            "[mcp_servers.social-data]\ncommand = \"x\"\n\n[mcp_servers.social-data.env]\nA = \"1\"\n\n[b]\nc = 1\n"
        #expect(try editor.remove(named: "social-data", under: "mcp_servers", in: middle) == "[b]\nc = 1\n")
        #expect(try editor.remove(named: "social-data", under: "mcp_servers", in: "[b]\nc = 1\n") == nil)
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

    @Test func readsTheEntryInlineOrAsSubtables() throws {
        let text = """
            [mcp_servers.other]
            command = "o"

            [mcp_servers.social-data]
            command = "/bin/s"
            args = ["-v"]
            env_vars = ["GEO_API_KEY"]

            [mcp_servers.social-data.env]
            DATANEXUS_API_KEY = "dn_x"
            """
        let entry = try #require(try TOMLConfigEditor().entry(named: "social-data", under: "mcp_servers", in: text))
        #expect(entry.command == "/bin/s")
        #expect(entry.arguments == ["-v"])
        #expect(entry.environment == ["DATANEXUS_API_KEY": "dn_x"])
        #expect(entry.forwarded == ["GEO_API_KEY"])
        let inline = "[mcp_servers.social-data]\ncommand = \"c\"\nenv = { A = \"1\", B = \"2\" }\n"
        let read = try #require(try TOMLConfigEditor().entry(named: "social-data", under: "mcp_servers", in: inline))
        #expect(read.environment == ["A": "1", "B": "2"])
        #expect(try TOMLConfigEditor().entry(named: "absent", under: "mcp_servers", in: text) == nil)
    }
}
