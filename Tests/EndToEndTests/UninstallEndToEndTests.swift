import Foundation
import Testing
import Wire

@Suite("uninstall, re-install and references")
struct UninstallEndToEndTests {
    typealias Target = InstallEndToEndTests.Target

    private func install(_ target: Target, home: URL, project: URL, extra: [String] = []) async throws -> CommandRun {
        try await InstallEndToEndTests.install(target, home: home, project: project, extra: extra)
    }

    private func uninstall(_ target: Target, home: URL, project: URL) async throws -> CommandRun {
        var arguments = ["uninstall", target.client]
        if let scope = target.scope { arguments += ["--scope", scope] }
        return try await CommandRun.run(arguments, environment: ["HOME": home.path], directory: project)
    }

    private func file(_ target: Target, home: URL, project: URL) -> URL {
        let relative = String(target.path.dropFirst(2))
        return (target.path.hasPrefix("~/") ? home : project).appendingPathComponent(relative)
    }

    private func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    @Test("uninstall restores the file byte for byte", arguments: InstallEndToEndTests.targets)
    func uninstallLeavesEveryOtherByteIdentical(_ target: Target) async throws {
        try await withTemporaryDirectory { home in
            try await withTemporaryDirectory { project in
                let url = file(target, home: home, project: project)
                try write(target.existing, to: url)
                let installed = try await install(target, home: home, project: project)
                #expect(installed.status == 0, "\(installed.stderr)")
                #expect(try String(contentsOf: url, encoding: .utf8) != target.existing)
                let removed = try await uninstall(target, home: home, project: project)
                #expect(removed.status == 0, "\(removed.stderr)")
                #expect(removed.stdout.contains("Removed social-data from"))
                #expect(try Data(contentsOf: url) == Data(target.existing.utf8), "every other byte is as it was")
                try ConfigParse.check([url])
                let backups = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
                    .filter { $0.hasPrefix(url.lastPathComponent + ".bak-") }
                #expect(backups.count == 2, "one backup before the install, one before the uninstall")
                let again = try await uninstall(target, home: home, project: project)
                #expect(again.status == 0)
                #expect(again.stdout.contains("is not registered"))
            }
        }
    }

    /// The target's file with empty arrays and an empty servers container in it.
    static func emptyContainers(_ target: Target) -> String {
        guard let container = target.container else { return "model = \"x\"\nlist = []\nempty = {}\n\n[mcp_servers]\n" }
        return "{\n  \"inputs\": [],\n  \"\(container)\": {},\n  \"list\": [ ],\n  \"none\": {}\n}\n"
    }

    @Test("empty arrays and objects come back byte for byte", arguments: InstallEndToEndTests.targets)
    func emptyArraysAndObjectsRoundTrip(_ target: Target) async throws {
        try await withTemporaryDirectory { home in
            try await withTemporaryDirectory { project in
                let url = file(target, home: home, project: project)
                let original = Self.emptyContainers(target)
                try write(original, to: url)
                let installed = try await install(target, home: home, project: project)
                #expect(installed.status == 0, "\(installed.stderr)")
                try ConfigParse.check([url])
                let removed = try await uninstall(target, home: home, project: project)
                #expect(removed.status == 0, "\(removed.stderr)")
                #expect(try String(contentsOf: url, encoding: .utf8) == original)
            }
        }
    }

    @Test func aVSCodeConfigWithEmptyInputsRoundTrips() async throws {
        try await withTemporaryDirectory { home in
            let target = try #require(InstallEndToEndTests.targets.first { $0.client == "vscode" })
            let url = file(target, home: home, project: home)
            let original =
                "{\n  \"servers\": {\n    \"github\": {\"type\": \"stdio\", \"command\": \"gh-mcp\"}\n  },\n  \"inputs\": []\n}\n"
            try write(original, to: url)
            let installed = try await install(target, home: home, project: home)
            #expect(installed.status == 0, "\(installed.stderr)")
            let inputs = try ConfigParse.parse(url)["inputs"]?.arrayValue
            #expect(inputs?.first?["id"] == "social-data-DATANEXUS_API_KEY", "the password prompt went into the array")
            let removed = try await uninstall(target, home: home, project: home)
            #expect(removed.status == 0, "\(removed.stderr)")
            #expect(try Data(contentsOf: url) == Data(original.utf8), "\"inputs\": [] is still there")
        }
    }

    @Test func uninstallOfAMalformedFileLeavesItAlone() async throws {
        try await withTemporaryDirectory { home in
            let url = home.appendingPathComponent(".cursor/mcp.json")
            try write("{\"mcpServers\": {\"social-data\": ", to: url)
            let result = try await CommandRun.run(
                ["uninstall", "cursor"],
                environment: ["HOME": home.path],
                directory: home
            )
            #expect(result.status == 2)
            #expect(result.stderr.contains("left untouched"))
            #expect(try String(contentsOf: url, encoding: .utf8) == "{\"mcpServers\": {\"social-data\": ")
        }
    }

    static let userEntryJSON = """
        {
          "mcpServers": {
            "social-data": {
              "command": "/old/social-data-mcp",
              "timeout": 60000,
              "disabled": false,
              "env": { "SOCIAL_DATA_MCP_TOOLSETS": "geo", "SOCIAL_DATA_MCP_MAX_SPEND_CNY": "5" }
            }
          }
        }

        """

    @Test(arguments: ["claude-code", "cursor", "claude-desktop"])
    func aReinstallKeepsTheKeysTheUserAddedToTheEntry(_ client: String) async throws {
        try await withTemporaryDirectory { home in
            let target = try #require(
                InstallEndToEndTests.targets.first { $0.client == client && $0.scope != "project" }
            )
            let url = file(target, home: home, project: home)
            try write(Self.userEntryJSON, to: url)
            let result = try await install(target, home: home, project: home)
            #expect(result.status == 0, "\(result.stderr)")
            let entry = try ConfigParse.parse(url)["mcpServers"]?["social-data"]
            #expect(entry?["command"] == .string(InstallEndToEndTests.stableBinary(home: home)))
            #expect(entry?["timeout"] == 60000)
            #expect(entry?["disabled"] == false)
            #expect(entry?["env"]?["SOCIAL_DATA_MCP_TOOLSETS"] == "geo", "a variable the install was not given stays")
            #expect(entry?["env"]?["SOCIAL_DATA_MCP_MAX_SPEND_CNY"] == "20", "one it was given is updated")
            #expect(entry?["env"]?["DATANEXUS_API_KEY"] == .string(InstallEndToEndTests.key))
        }
    }

    @Test func aCodexReinstallKeepsTimeoutsToolTablesAndUnknownKeys() async throws {
        try await withTemporaryDirectory { home in
            let url = home.appendingPathComponent(".codex/config.toml")
            try write(
                """
                model = "gpt-5-codex"

                [mcp_servers.social-data]
                command = "/old/social-data-mcp"
                startup_timeout_sec = 20
                tool_timeout_sec = 90 # slow providers
                my_own_key = "kept"

                [mcp_servers.social-data.env]
                SOCIAL_DATA_MCP_TOOLSETS = "geo"

                [mcp_servers.social-data.tools.geo_list_brands]
                approval_mode = "approve"

                """,
                to: url
            )
            let target = try #require(InstallEndToEndTests.targets.first { $0.client == "codex" })
            let result = try await install(target, home: home, project: home)
            #expect(result.status == 0, "\(result.stderr)")
            let text = try String(contentsOf: url, encoding: .utf8)
            #expect(text.contains("tool_timeout_sec = 90 # slow providers"))
            let server = try ConfigParse.parse(url)["mcp_servers"]?["social-data"]
            #expect(server?["command"] == .string(InstallEndToEndTests.stableBinary(home: home)))
            #expect(server?["startup_timeout_sec"] == 20)
            #expect(server?["tool_timeout_sec"] == 90)
            #expect(server?["my_own_key"] == "kept")
            #expect(server?["tools"]?["geo_list_brands"]?["approval_mode"] == "approve")
            #expect(server?["env"]?["SOCIAL_DATA_MCP_TOOLSETS"] == "geo")
            #expect(server?["env"]?["DATANEXUS_API_KEY"] == .string(InstallEndToEndTests.key))
            let again = try await install(target, home: home, project: home)
            #expect(again.stdout.contains("already registered"), "\(again.stdout)")
        }
    }

    @Test(arguments: ["user", "project"])
    func codexForwardsAReferencedKeyWithEnvVars(_ scope: String) async throws {
        try await withTemporaryDirectory { home in
            let extra = scope == "user" ? ["--reference"] : []
            let target = InstallEndToEndTests.Target(
                client: "codex",
                scope: scope,
                path: scope == "user" ? "~/.codex/config.toml" : "./.codex/config.toml",
                container: nil,
                existing: ""
            )
            let result = try await install(target, home: home, project: home, extra: extra)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("env_vars = [\"DATANEXUS_API_KEY\"]"))
            let url = file(target, home: home, project: home)
            #expect(try !String(contentsOf: url, encoding: .utf8).contains(InstallEndToEndTests.key))
            let server = try ConfigParse.parse(url)["mcp_servers"]?["social-data"]
            // --reference forwards every setting; a project scope forwards only the secrets.
            let forwarded: JSONValue =
                scope == "user" ? ["DATANEXUS_API_KEY", "SOCIAL_DATA_MCP_MAX_SPEND_CNY"] : ["DATANEXUS_API_KEY"]
            #expect(server?["env_vars"] == forwarded)
            #expect(server?["env"]?["DATANEXUS_API_KEY"] == nil)
        }
    }

    @Test func referencesNeedNoValueButClaudeDesktopRefusesThem() async throws {
        try await withTemporaryDirectory { home in
            let cursor = try await CommandRun.run(
                ["install", "cursor", "--scope", "project", "--env", "GEO_API_KEY"],
                environment: ["HOME": home.path],
                directory: home
            )
            #expect(cursor.status == 0, "a reference does not need the variable set here: \(cursor.stderr)")
            let desktop = try await CommandRun.run(
                ["install", "claude-desktop", "--reference", "--env", "GEO_API_KEY"],
                environment: ["HOME": home.path],
                directory: home
            )
            #expect(desktop.status == 2)
            #expect(desktop.stderr.contains("does not expand variables"))
        }
    }
}
