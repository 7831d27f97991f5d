import Export
import Foundation
import Install
import LoopbackStandIn
import Providers
import Testing
import ToolCall
import Wire

@Suite("install, skill and doctor commands")
struct InstallEndToEndTests {
    typealias Target = InstallTarget

    static let targets = InstallTarget.all

    static let key = "dn_live_install_secret_0042"

    /// `install TARGET` with a key copied from the shell and a plain setting, as a user types it.
    static func install(_ target: Target, home: URL, project: URL, extra: [String] = []) async throws -> CommandRun {
        var arguments =
            ["install", target.client, "--env", "DATANEXUS_API_KEY", "--env", "SOCIAL_DATA_MCP_MAX_SPEND_CNY=20"]
            + extra
        if let scope = target.scope { arguments += ["--scope", scope] }
        return try await CommandRun.run(
            arguments,
            environment: ["HOME": home.path, "DATANEXUS_API_KEY": Self.key],
            directory: project
        )
    }

    private func file(_ target: Target, home: URL, project: URL) -> URL {
        let relative = String(target.path.dropFirst(2))
        return (target.path.hasPrefix("~/") ? home : project).appendingPathComponent(relative)
    }

    private func backups(of url: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)) ?? []
        return names.filter { $0.hasPrefix(url.lastPathComponent + ".bak-") }
    }

    /// Where install puts the copy of the binary the entry runs.
    static func stableBinary(home: URL) -> String {
        StableBinary.path(in: StableBinary.defaultDirectory(home: home.path))
    }

    private func checkEntry(_ text: String, _ target: Target, home: URL) throws {
        if let container = target.container {
            let jsonc = target.client == "vscode"
            let parsed = try JSONParser.parse(
                jsonc
                    ? text.split(separator: "\n").filter { !$0.contains("//") }.joined(separator: "\n")
                        .replacingOccurrences(of: "},\n  }", with: "}\n  }") : text
            )
            let entry = parsed[container]?["social-data"]
            #expect(entry?["command"] == .string(Self.stableBinary(home: home)))
            #expect(entry?["env"]?["DATANEXUS_API_KEY"] == .string(target.reference ?? Self.key))
            if target.client == "vscode" {
                let input = parsed["inputs"]?.arrayValue?.first { $0["id"] == "social-data-DATANEXUS_API_KEY" }
                #expect(input?["password"] == true && input?["type"] == "promptString")
            }
            #expect(entry?["env"]?["SOCIAL_DATA_MCP_MAX_SPEND_CNY"] == "20")
        } else {
            #expect(
                text.contains("[mcp_servers.social-data]\ncommand = \"\(Self.stableBinary(home: home))\"\nargs = []")
            )
            #expect(
                text.contains("env = { DATANEXUS_API_KEY = \"\(Self.key)\", SOCIAL_DATA_MCP_MAX_SPEND_CNY = \"20\" }")
            )
        }
    }

    @Test("fresh config", arguments: targets)
    func installsIntoAFreshConfig(_ target: Target) async throws {
        try await withTemporaryDirectory { home in
            try await withTemporaryDirectory { project in
                let result = try await Self.install(target, home: home, project: project)
                #expect(result.status == 0, "\(result.stderr)")
                let url = file(target, home: home, project: project)
                let text = try String(contentsOf: url, encoding: .utf8)
                try checkEntry(text, target, home: home)
                try ConfigParse.check([url])
                if target.reference != nil {
                    #expect(!text.contains(Self.key), "a project file holds no secret value")
                    #expect(result.stdout.contains("a reference, \(target.reference ?? "")"))
                }
                #expect(backups(of: url).isEmpty, "nothing to back up")
                #expect(!result.stdout.contains(Self.key), "the key is not printed")
            }
        }
    }

    @Test("existing config with another server", arguments: targets)
    func mergesKeepingWhatWasThereAndBacksUp(_ target: Target) async throws {
        try await withTemporaryDirectory { home in
            try await withTemporaryDirectory { project in
                let url = file(target, home: home, project: project)
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(),
                    withIntermediateDirectories: true
                )
                try Data(target.existing.utf8).write(to: url)
                let result = try await Self.install(target, home: home, project: project)
                #expect(result.status == 0, "\(result.stderr)")
                let text = try String(contentsOf: url, encoding: .utf8)
                try checkEntry(text, target, home: home)
                // Every line of the old file is still there, in order.
                var remaining = text[...]
                for line in target.existing.split(separator: "\n") {
                    guard let range = remaining.range(of: line) else {
                        Issue.record("lost line: \(line)")
                        continue
                    }
                    remaining = remaining[range.upperBound...]
                }
                let saved = backups(of: url)
                #expect(saved.count == 1)
                let backup = url.deletingLastPathComponent().appendingPathComponent(saved.first ?? "")
                #expect(try String(contentsOf: backup, encoding: .utf8) == target.existing)

                let again = try await Self.install(target, home: home, project: project)
                #expect(again.status == 0)
                #expect(again.stdout.contains("already registered"))
                #expect(try String(contentsOf: url, encoding: .utf8) == text, "a second run changes nothing")
                #expect(backups(of: url).count == 1, "and writes no second backup")
            }
        }
    }

    @Test("malformed config", arguments: targets)
    func leavesAMalformedConfigUntouched(_ target: Target) async throws {
        try await withTemporaryDirectory { home in
            try await withTemporaryDirectory { project in
                let url = file(target, home: home, project: project)
                let broken = target.container == nil ? "[mcp_servers\ncommand = " : "{\"mcpServers\": {\"github\": "
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(),
                    withIntermediateDirectories: true
                )
                try Data(broken.utf8).write(to: url)
                let result = try await Self.install(target, home: home, project: project)
                #expect(result.status != 0)
                #expect(result.stderr.contains("left untouched"), "\(result.stderr)")
                #expect(try String(contentsOf: url, encoding: .utf8) == broken)
                #expect(backups(of: url).isEmpty)
            }
        }
    }

    @Test("--print", arguments: targets)
    func printShowsTheChangeAndWritesNothing(_ target: Target) async throws {
        try await withTemporaryDirectory { home in
            try await withTemporaryDirectory { project in
                let result = try await Self.install(target, home: home, project: project, extra: ["--print"])
                #expect(result.status == 0, "\(result.stderr)")
                #expect(result.stdout.contains("Would change"))
                #expect(result.stdout.contains("+"))
                if target.reference == nil {
                    #expect(result.stdout.contains("dn_l…42"), "secrets are masked in the preview")
                } else {
                    #expect(result.stdout.contains("DATANEXUS_API_KEY: a reference, \(target.reference ?? "")"))
                }
                #expect(!result.stdout.contains(Self.key))
                #expect(!FileManager.default.fileExists(atPath: file(target, home: home, project: project).path))
            }
        }
    }

    @Test func settingsGivenAsFlagsGoIntoTheEntry() async throws {
        try await withTemporaryDirectory { home in
            let result = try await CommandRun.run(
                ["install", "cursor", "--sandbox", "--daily-limit-cny", "20"],
                environment: ["HOME": home.path],
                directory: home
            )
            #expect(result.status == 0, "\(result.stderr)")
            let written = try ConfigParse.parse(home.appendingPathComponent(".cursor/mcp.json"))
            let env = written["mcpServers"]?["social-data"]?["env"]
            #expect(env?["SOCIAL_DATA_MCP_SANDBOX"] == "1", "install --sandbox: the client starts it in sandbox mode")
            #expect(env?["SOCIAL_DATA_MCP_DAILY_LIMIT_CNY"] == "20")
        }
    }

    @Test func unknownSettingsAndMissingValuesAreRefused() async throws {
        try await withTemporaryDirectory { home in
            let typo = try await CommandRun.run(
                ["install", "cursor", "--env", "DATANEXUS_KEY=x"],
                environment: ["HOME": home.path],
                directory: home
            )
            #expect(typo.status == 2)
            #expect(typo.stderr.contains("not a setting of this server"))
            let unset = try await CommandRun.run(
                ["install", "cursor", "--env", "GEO_API_KEY"],
                environment: ["HOME": home.path],
                directory: home
            )
            #expect(unset.status == 2)
            #expect(unset.stderr.contains("GEO_API_KEY: it is not set in this shell"))
            let desktopProject = try await CommandRun.run(
                ["install", "claude-desktop", "--scope", "project"],
                environment: ["HOME": home.path],
                directory: home
            )
            #expect(desktopProject.status == 2)
        }
    }

    @Test func skillInstallWritesTheFolderForEachAgent() async throws {
        try await withTemporaryDirectory { home in
            let printed = try await CommandRun.run(["skill"], environment: ["HOME": home.path], directory: home)
            #expect(printed.stdout == SkillDocument.markdown())
            let installed = try await CommandRun.run(
                ["skill", "--install"],
                environment: ["HOME": home.path],
                directory: home
            )
            #expect(installed.status == 0, "\(installed.stderr)")
            for root in [".claude/skills", ".agents/skills"] {
                let folder = home.appendingPathComponent("\(root)/social-data-mcp")
                #expect(
                    try String(contentsOf: folder.appendingPathComponent("SKILL.md"), encoding: .utf8)
                        == SkillDocument.markdown()
                )
                #expect(
                    try String(contentsOf: folder.appendingPathComponent("agents/openai.yaml"), encoding: .utf8)
                        == SkillDocument.openAIYAML
                )
            }
            let custom = home.appendingPathComponent("custom")
            let toDirectory = try await CommandRun.run(
                ["skill", "--install", "--dir", custom.path],
                environment: ["HOME": home.path],
                directory: home
            )
            #expect(toDirectory.status == 0)
            #expect(
                FileManager.default.fileExists(atPath: custom.appendingPathComponent("social-data-mcp/SKILL.md").path)
            )
        }
    }

    @Test func toolsCommandPrintsEachExportFormat() async throws {
        try await withTemporaryDirectory { home in
            for format in ToolExport.Format.allCases {
                let result = try await CommandRun.run(
                    ["tools", "--format", format.rawValue],
                    environment: ["HOME": home.path],
                    directory: home
                )
                #expect(result.status == 0)
                #expect(result.stdout == ToolExport.text(ToolServices.entries, format: format, strict: false))
            }
            let strict = try await CommandRun.run(
                ["tools", "--format", "openai", "--strict"],
                environment: ["HOME": home.path],
                directory: home
            )
            #expect(strict.stdout == ToolExport.text(ToolServices.entries, format: .openai, strict: true))
            let filtered = try await CommandRun.run(
                ["tools", "--toolsets", "geo"],
                environment: ["HOME": home.path],
                directory: home
            )
            let names =
                try JSONParser.parse(filtered.stdout)["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            let own = ServerToolset.toolset.tools.map(\.name)
            #expect(names.allSatisfy { $0.hasPrefix("geo_") || own.contains($0) } && names.count == 9 + own.count)
        }
    }

    @Test func doctorReportsEachProviderWithMaskedKeys() async throws {
        let stand = try Harness.start(name: "doctor")
        defer { stand.upstream.stop() }
        await stand.server.stop()
        let urls = DocumentedResponses.baseURLs(stand.upstream.baseURL())
        try await withTemporaryDirectory { home in
            var environment = urls.merging(["HOME": home.path]) { own, _ in own }
            environment["DATANEXUS_API_KEY"] = Harness.keys["DATANEXUS_API_KEY"]
            environment["GEO_API_KEY"] = Harness.keys["GEO_API_KEY"]
            environment["CREATIVAULT_API_KEY"] = Harness.keys["CREATIVAULT_API_KEY"]
            let result = try await CommandRun.run(["doctor"], environment: environment, directory: home)
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            let lines = result.stdout.split(separator: "\n").map(String.init)
            let dataNexus = lines.first { $0.hasPrefix("DataNexus") } ?? ""
            #expect(
                dataNexus.contains("DATANEXUS_API_KEY dn_l…01") && dataNexus.contains("GET /health → HTTP 200")
                    && dataNexus.contains("8 tools")
            )
            #expect(lines.first { $0.hasPrefix("GEO") }?.contains("GET /brands → HTTP 200") == true)
            #expect(lines.first { $0.hasPrefix("TikOmni") }?.contains("TIKOMNI_API_KEY not set") == true)
            #expect(lines.first { $0.hasPrefix("CreatiVault") }?.contains("CREATIVAULT_USER_IDENTITY not set") == true)
            #expect(lines.first { $0.hasPrefix("DataTrust") }?.contains("not probed (needs DATATRUST_API_KEY)") == true)
            #expect(result.stdout.contains("Exposed: \(ToolServices.entries.count) tools"))
            #expect(result.stdout.contains("Usable providers: 2 of 5"))
            for key in Harness.keys.values where !key.contains("@") { #expect(!result.stdout.contains(key)) }

            let nothing = try await CommandRun.run(
                ["doctor"],
                environment: ["HOME": home.path, "DATANEXUS_BASE_URL": urls["DATANEXUS_BASE_URL"] ?? ""],
                directory: home
            )
            #expect(nothing.status == 1, "no usable provider is a failure")
            #expect(nothing.stdout.contains("Usable providers: 0 of 5"))
        }
    }
}
