import SocialDataMCP
import Testing

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
}
