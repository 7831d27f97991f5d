import Install
import Testing
import Wire

@Suite struct JSONConfigEditorTests {
    static let entry: JSONValue = [
        "command": "/opt/bin/social-data-mcp", "args": [], "env": ["DATANEXUS_API_KEY": "dn_live_x"],
    ]
    let strict = JSONConfigEditor(allowsComments: false)

    private func upsert(_ text: String, editor: JSONConfigEditor? = nil, entry: JSONValue = entry) throws -> String? {
        try (editor ?? strict).upsert(entry, named: "social-data", under: "mcpServers", in: text)
    }

    @Test func createsAFileFromNothing() throws {
        let text = try #require(try upsert(""))
        #expect(try JSONParser.parse(text) == ["mcpServers": ["social-data": Self.entry]])
    }

    @Test func addsBesideOtherServersLeavingEveryOtherByteAlone() throws {
        let original = """
            {
                "numStartups": 12,
                "mcpServers": {
                    "github": { "command": "gh-mcp", "args": ["--x"] }
                },
                "zzz": [1, 2, {"nested": true}]
            }

            """
        let text = try #require(try upsert(original))
        let parsed = try JSONParser.parse(text)
        #expect(parsed["mcpServers"]?["github"] == ["command": "gh-mcp", "args": ["--x"]])
        #expect(parsed["mcpServers"]?["social-data"] == Self.entry)
        #expect(parsed["zzz"] == [1, 2, ["nested": true]])
        // Only an insertion: the original's lines are all still there, in order, with their four-space indent.
        #expect(
            text.hasPrefix(
                "{\n    \"numStartups\": 12,\n    \"mcpServers\": {\n        \"github\": { \"command\": \"gh-mcp\", \"args\": [\"--x\"] },\n        \"social-data\": {\n            \"args\": []"
            )
        )
        #expect(text.hasSuffix("    },\n    \"zzz\": [1, 2, {\"nested\": true}]\n}\n"))
    }

    @Test func replacesAnOldEntryAndIsIdempotent() throws {
        let original =
            "{\"mcpServers\":{\"social-data\":{\"command\":\"/old/path\"},\"other\":{\"command\":\"x\"}},\"k\":1}"
        let text = try #require(try upsert(original))
        #expect(try JSONParser.parse(text)["mcpServers"]?["social-data"] == Self.entry)
        #expect(text.hasSuffix(",\"other\":{\"command\":\"x\"}},\"k\":1}"))
        #expect(try upsert(text) == nil, "a second run changes nothing")
    }

    @Test func addsTheContainerWhenMissingAndFillsAnEmptyOne() throws {
        let withoutContainer = try #require(try upsert("{\n  \"theme\": \"dark\"\n}\n"))
        #expect(try JSONParser.parse(withoutContainer)["theme"] == "dark")
        #expect(try JSONParser.parse(withoutContainer)["mcpServers"]?["social-data"] == Self.entry)
        let empty = try #require(try upsert("{\"mcpServers\": {}}"))
        #expect(try JSONParser.parse(empty)["mcpServers"]?["social-data"] == Self.entry)
    }

    @Test(arguments: [
        "{", "[]", "{\"mcpServers\": []}", "{\"a\": 1,}", "{\"a\": 1} trailing", "// comment\n{}", "{\"a\": tru}",
        "\"text\"",
    ])
    func malformedFilesAreRefused(_ text: String) {
        #expect(throws: JSONConfigEditor.Malformed.self) { try upsert(text) }
    }

    @Test func jsoncCommentsAndTrailingCommasSurviveForVSCode() throws {
        let original = """
            {
              // Servers for this workspace
              "servers": {
                "local": { "type": "stdio", "command": "x" }, // keep me
              },
              /* inputs */ "inputs": []
            }
            """
        let editor = JSONConfigEditor(allowsComments: true)
        let text = try #require(
            try editor.upsert(
                ["type": "stdio", "command": "/bin/s"],
                named: "social-data",
                under: "servers",
                in: original
            )
        )
        #expect(text.contains("// Servers for this workspace"))
        #expect(text.contains("// keep me"))
        #expect(text.contains("/* inputs */ \"inputs\": []"))
        #expect(text.contains("\"social-data\": {"))
        #expect(
            try editor.upsert(["type": "stdio", "command": "/bin/s"], named: "social-data", under: "servers", in: text)
                == nil
        )
    }

    @Test func aReRunUpdatesTheServersKeysAndKeepsTheUsers() throws {
        let original = """
            {
              "mcpServers": {
                "social-data": {
                  "command": "/old",
                  "timeout": 60000,
                  "env": { "SOCIAL_DATA_MCP_TOOLSETS": "geo", "DATANEXUS_API_KEY": "dn_live_old" }
                }
              }
            }
            """
        let text = try #require(try upsert(original))
        let entry = try JSONParser.parse(text)["mcpServers"]?["social-data"]
        #expect(entry?["timeout"] == 60000)
        #expect(entry?["command"] == "/opt/bin/social-data-mcp")
        #expect(entry?["env"] == ["SOCIAL_DATA_MCP_TOOLSETS": "geo", "DATANEXUS_API_KEY": "dn_live_x"])
        #expect(text.contains("\"timeout\": 60000,"), "the user's line is untouched")
        #expect(try upsert(text) == nil)
    }

    @Test(arguments: [
        "{\n  \"mcpServers\": {\n    \"github\": {\"command\": \"gh\"}\n  },\n  \"theme\": \"dark\"\n}\n",
        "{\"mcpServers\": {}}",
        "{\n    \"mcpServers\": {\n        \"a\": {},\n        \"b\": {}\n    }\n}",
        // No container, an empty file object, empty containers however they are spaced.
        "{\n  \"theme\": \"dark\"\n}\n", "{}", "{}\n", "{\"mcpServers\": { }}", "{\n  \"mcpServers\": {\n  }\n}\n",
        "{\n  \"a\": [],\n  \"mcpServers\": {},\n  \"b\": {}\n}\n",
    ])
    func removeGivesBackTheFileAsItWasBeforeTheInsert(_ original: String) throws {
        let installed = try #require(try upsert(original))
        #expect(try strict.remove(at: ["mcpServers", "social-data"], in: installed) == original)
        #expect(try strict.remove(at: ["mcpServers", "social-data"], in: original) == nil)
    }

    @Test(arguments: [
        "{\n  \"inputs\": []\n}\n", "{\"inputs\": [ ]}", "{\n  \"servers\": {}\n}\n",
        "{\n  \"inputs\": [\n  ],\n  \"servers\": {}\n}\n", "{\n  // none yet\n  \"inputs\": [/* none */]\n}\n",
    ])
    func emptyInputsAndServersComeBackAsTheyWere(_ original: String) throws {
        let editor = JSONConfigEditor(allowsComments: true)
        let input: JSONValue = ["id": "social-data-GEO_API_KEY", "type": "promptString", "password": true]
        let entry: JSONValue = ["command": "/bin/x", "args": []]
        var text = try editor.upsert(entry, named: "social-data", under: "servers", in: original) ?? original
        text = try editor.appendUnlessPresent(input, toArray: "inputs", in: text)
        #expect(try editor.value(at: ["servers", "social-data", "command"], in: text) == "/bin/x")
        #expect(try editor.value(at: ["inputs"], in: text)?.arrayValue?.count == 1)
        var removed = try editor.remove(at: ["servers", "social-data"], in: text) ?? text
        removed = try editor.removeElements(ofArray: "inputs", in: removed) { $0.hasPrefix("social-data-") } ?? removed
        #expect(removed == original)
    }

    @Test func valueReadsThroughCommentsAndSaysNilWhenAbsent() throws {
        let editor = JSONConfigEditor(allowsComments: true)
        let text = "{\n  // c\n  \"servers\": {\"x\": {\"env\": {\"A\": \"1\", /* b */ \"B\": \"${env:B}\"},}}\n}"
        #expect(try editor.value(at: ["servers", "x", "env"], in: text) == ["A": "1", "B": "${env:B}"])
        #expect(try editor.value(at: ["servers", "y"], in: text) == nil)
        #expect(try editor.value(at: ["servers"], in: "  \n") == nil)
        #expect(throws: JSONConfigEditor.Malformed.self) { try editor.value(at: ["a"], in: "{\"a\": ") }
    }

    @Test func removeOfAFirstMemberKeepsItsNeighbours() throws {
        let text = "{\"mcpServers\": {\"social-data\": {\"command\": \"x\"}, \"github\": {}}}"
        let removed = try #require(try strict.remove(at: ["mcpServers", "social-data"], in: text))
        #expect(removed == "{\"mcpServers\": {\"github\": {}}}")
    }

    @Test func inputsAreAddedOnceAndRemovedByTheirPrefix() throws {
        let editor = JSONConfigEditor(allowsComments: true)
        let original = "{\n  \"inputs\": [\n    {\"id\": \"theirs\", \"type\": \"promptString\"}\n  ]\n}\n"
        let input: JSONValue = ["id": "social-data-GEO_API_KEY", "type": "promptString", "password": true]
        let added = try editor.appendUnlessPresent(input, toArray: "inputs", in: original)
        #expect(try JSONParser.parse(added)["inputs"]?.arrayValue?.count == 2)
        #expect(try editor.appendUnlessPresent(input, toArray: "inputs", in: added) == added, "not twice")
        let removed = try editor.removeElements(ofArray: "inputs", in: added) { $0.hasPrefix("social-data-") }
        #expect(removed == original)
        let created = try editor.appendUnlessPresent(input, toArray: "inputs", in: "{\"servers\": {}}")
        #expect(
            try editor.removeElements(ofArray: "inputs", in: created) { $0.hasPrefix("social-data-") }
                == "{\"servers\": {}}"
        )
    }
}
