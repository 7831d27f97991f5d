import Foundation
import Spend
import Testing
import ToolCall
import Wire

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("install keeps keys private, refuses what the server would, and outlives the build")
struct InstallSafetyEndToEndTests {
    static let key = "dn_live_private_secret_7a3c"

    private func run(
        _ arguments: [String],
        home: URL,
        project: URL? = nil,
        extra: [String: String] = [:]
    )
        async throws -> CommandRun
    {
        try await CommandRun.run(
            arguments,
            environment: ["HOME": home.path].merging(extra) { _, new in new },
            directory: project ?? home
        )
    }

    private func mode(_ path: String) -> mode_t? {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o777 : nil
    }

    private func write(_ text: String, to url: URL, mode: mode_t = 0o644) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        chmod(url.path, mode)
    }

    private func backups(of url: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)) ?? []
        return names.filter { $0.hasPrefix(url.lastPathComponent + ".bak-") }.sorted()
            .map { url.deletingLastPathComponent().appendingPathComponent($0) }
    }

    @Test func aFileWithKeysIsCreatedPrivateAndAStricterModeIsKept() async throws {
        try await withTemporaryDirectory { home in
            let cursor = home.appendingPathComponent(".cursor/mcp.json")
            let keyed = try await run(["install", "cursor", "--env", "DATANEXUS_API_KEY=\(Self.key)"], home: home)
            #expect(keyed.status == 0, "\(keyed.stderr)")
            #expect(mode(cursor.path) == 0o600, "a new file holding a key is 0600")

            let windsurf = home.appendingPathComponent(".codeium/windsurf/mcp_config.json")
            let plain = try await run(["install", "windsurf", "--env", "SOCIAL_DATA_MCP_MAX_SPEND_CNY=5"], home: home)
            #expect(plain.status == 0, "\(plain.stderr)")
            #expect(mode(windsurf.path) == 0o644, "a file without keys is an ordinary file")

            let claude = home.appendingPathComponent(".claude.json")
            try write("{\"numStartups\": 3}\n", to: claude, mode: 0o644)
            _ = try await run(["install", "claude-code", "--env", "DATANEXUS_API_KEY=\(Self.key)"], home: home)
            #expect(mode(claude.path) == 0o600, "an open file that now holds a key is closed to others")

            let gemini = home.appendingPathComponent(".gemini/settings.json")
            try write("{}\n", to: gemini, mode: 0o400)
            let strict = try await run(["install", "gemini-cli", "--env", "DATANEXUS_API_KEY=\(Self.key)"], home: home)
            #expect(strict.status == 0, "\(strict.stderr)")
            #expect(mode(gemini.path) == 0o400, "a stricter mode is kept")
            for backup in backups(of: claude) + backups(of: gemini) {
                #expect(mode(backup.path) == 0o600, "backups are private: \(backup.lastPathComponent)")
            }
        }
    }

    @Test func onlyTheNewestThreeBackupsAreKeptAndUninstallNamesThoseWithKeys() async throws {
        try await withTemporaryDirectory { home in
            let url = home.appendingPathComponent(".cursor/mcp.json")
            try write(InstallTarget.otherJSON, to: url)
            for limit in 1...5 {
                let result = try await run(
                    [
                        "install", "cursor", "--env", "DATANEXUS_API_KEY=\(Self.key)", "--env",
                        "SOCIAL_DATA_MCP_MAX_SPEND_CNY=\(limit)",
                    ],
                    home: home
                )
                #expect(result.status == 0, "\(result.stderr)")
            }
            let kept = backups(of: url)
            #expect(kept.count == 3)
            // The newest three: the files before the 3rd, 4th and 5th install.
            let limits = try kept.map {
                try ConfigParse.parse($0)["mcpServers"]?["social-data"]?["env"]?["SOCIAL_DATA_MCP_MAX_SPEND_CNY"]
            }
            #expect(limits == ["2", "3", "4"])
            let removed = try await run(["uninstall", "cursor"], home: home)
            #expect(removed.status == 0, "\(removed.stderr)")
            #expect(backups(of: url).count == 3)
            #expect(removed.stdout.contains("These backups still hold keys"))
            for backup in backups(of: url) {
                #expect(removed.stdout.contains(backup.lastPathComponent), "names \(backup.lastPathComponent)")
            }
            #expect(!removed.stdout.contains(Self.key))
        }
    }

    @Test func printMasksKeysAndCookiesAlreadyInTheFile() async throws {
        try await withTemporaryDirectory { home in
            let cookie = "sessionid=abcdef0123456789; ttwid=zyxwvu9876543210"
            let first = try await run(
                [
                    "install", "claude-code", "--env", "DATANEXUS_API_KEY=\(Self.key)", "--env",
                    "TIKOMNI_DOUYIN_COOKIE=\(cookie)",
                ],
                home: home
            )
            #expect(first.status == 0, "\(first.stderr)")
            let newKey = "dn_live_another_secret_99b1"
            let preview = try await run(
                ["install", "claude-code", "--print", "--env", "DATANEXUS_API_KEY=\(newKey)"],
                home: home
            )
            #expect(preview.status == 0, "\(preview.stderr)")
            #expect(preview.stdout.contains("-        \"DATANEXUS_API_KEY\": \"dn_l…3c\""), "\(preview.stdout)")
            let removal = try await run(["uninstall", "claude-code", "--print"], home: home)
            #expect(removal.status == 0, "\(removal.stderr)")
            #expect(removal.stdout.contains("dn_l…3c"))
            for output in [preview.stdout, removal.stdout] {
                for secret in [Self.key, newKey, cookie, "abcdef0123456789", "zyxwvu9876543210"] {
                    #expect(!output.contains(secret), "a secret was shown: \(secret)")
                }
            }
        }
    }

    @Test(arguments: [
        ["SOCIAL_DATA_MCP_MAX_SPEND_CNY=abc"], ["SOCIAL_DATA_MCP_TOOLSETS=datanexsu"], ["DATANEXUS_API_KEY=dn_live_…"],
        ["DATANEXUS_API_KEY=YOUR_KEY"], ["GEO_API_KEY=<key>"], ["DATANEXUS_API_KEY=..."], ["SOCIAL_DATA_MCP_TIMEOUT=0"],
        ["SOCIAL_DATA_MCP_READ_ONLY=maybe"],
    ])
    func aValueTheServerWouldRefuseIsRefusedAndNothingIsWritten(_ settings: [String]) async throws {
        try await withTemporaryDirectory { home in
            let arguments = ["install", "claude-code"] + settings.flatMap { ["--env", $0] }
            let result = try await run(arguments, home: home)
            #expect(result.status == 2)
            #expect(result.stderr.contains("Nothing was written"), "\(result.stderr)")
            let variable = settings[0].split(separator: "=")[0]
            #expect(result.stderr.contains(variable), "the reason names the setting: \(result.stderr)")
            #expect(!result.stderr.contains("Configuration"), "in people's words: \(result.stderr)")
            let written = try FileManager.default.subpathsOfDirectory(atPath: home.path)
                .filter { !$0.hasPrefix(".social-data-mcp-state") }
            #expect(written.isEmpty, "nothing was written: \(written)")
        }
    }

    @Test func theEntrySurvivesRemovingTheBuildFolderAndARebuildUpdatesIt() async throws {
        try await withTemporaryDirectory { home in
            // A build folder of its own, with the built binary in it, that is then deleted.
            let build = home.appendingPathComponent("checkout/.build/release")
            try FileManager.default.createDirectory(at: build, withIntermediateDirectories: true)
            let built = build.appendingPathComponent("social-data-mcp").path
            try FileManager.default.copyItem(atPath: ServerProcess.binaryPath, toPath: built)
            let installed = try await CommandRun.run(
                ["install", "cursor", "--sandbox"],
                environment: ["HOME": home.path],
                directory: home,
                binary: built
            )
            #expect(installed.status == 0, "\(installed.stderr)")
            try FileManager.default.removeItem(at: home.appendingPathComponent("checkout"))
            let entry = try ConfigParse.parse(home.appendingPathComponent(".cursor/mcp.json"))["mcpServers"]?[
                "social-data"
            ]
            let command = try #require(entry?["command"]?.stringValue)
            #expect(command == InstallEndToEndTests.stableBinary(home: home))
            #expect(mode(command) == 0o755)
            try await initialize(command, environment: entry?["env"], home: home)

            // A stale copy (an older build) is replaced by the next install.
            try Data("#!/bin/sh\nexit 1\n".utf8).write(to: URL(fileURLWithPath: command))
            let again = try await run(["install", "cursor", "--sandbox"], home: home)
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.stdout.contains("already registered"))
            #expect(FileManager.default.contentsEqual(atPath: command, andPath: ServerProcess.binaryPath))
            #expect(mode(command) == 0o755)
            let other = home.appendingPathComponent("tools")
            let elsewhere = try await run(["install", "windsurf", "--bin-dir", other.path], home: home)
            #expect(elsewhere.status == 0, "\(elsewhere.stderr)")
            let windsurf = try ConfigParse.parse(home.appendingPathComponent(".codeium/windsurf/mcp_config.json"))
            #expect(windsurf["mcpServers"]?["social-data"]?["command"] == .string(other.path + "/social-data-mcp"))
        }
    }

    /// Starts `command` as a client would, with the entry's env, and does `initialize`.
    private func initialize(_ command: String, environment: JSONValue?, home: URL) async throws {
        var variables = ["HOME": home.path, "SOCIAL_DATA_MCP_STATE_DIR": home.appendingPathComponent("state").path]
        for case (let name, .string(let value)) in environment?.objectValue ?? [:] { variables[name] = value }
        let process = try ChildProcess(path: command, arguments: [], environment: variables)
        let request =
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
            + "\"capabilities\":{},\"clientInfo\":{\"name\":\"e2e\",\"version\":\"1\"}}}\n"
        process.standardInput.write(Data(request.utf8))
        try process.standardInput.close()
        let output = await Task.detached { process.standardOutput.readDataToEndOfFile() }.value
        process.waitUntilExit()
        let line = try #require(String(decoding: output, as: UTF8.self).split(separator: "\n").first)
        let response = try JSONParser.parse(String(line))
        #expect(response["result"]?["serverInfo"]?["name"] == .string(ServerIdentity.name), "\(line)")
    }

    @Test func aReinstallSaysSandboxModeStaysOnAndHowToTurnItOff() async throws {
        try await withTemporaryDirectory { home in
            let sandboxed = try await run(["install", "cursor", "--sandbox"], home: home)
            #expect(sandboxed.status == 0, "\(sandboxed.stderr)")
            #expect(sandboxed.stdout.contains("Sandbox mode is on"))
            let keyed = try await run(["install", "cursor", "--env", "DATANEXUS_API_KEY=\(Self.key)"], home: home)
            #expect(keyed.status == 0, "\(keyed.stderr)")
            #expect(
                keyed.stdout.contains("Sandbox mode is on (SOCIAL_DATA_MCP_SANDBOX=1 is kept from the existing entry)")
            )
            #expect(keyed.stdout.contains("install cursor --env SOCIAL_DATA_MCP_SANDBOX=0"))
            let real = try await run(["install", "cursor", "--env", "SOCIAL_DATA_MCP_SANDBOX=0"], home: home)
            #expect(real.status == 0, "\(real.stderr)")
            #expect(!real.stdout.contains("Sandbox mode is on"))
        }
    }

    @Test func traeNotesItsToolCapAndItsProjectFileTakesNoKey() async throws {
        try await withTemporaryDirectory { home in
            try await withTemporaryDirectory { project in
                let all = try await run(["install", "trae", "--env", "DATANEXUS_API_KEY=\(Self.key)"], home: home)
                #expect(all.status == 0, "\(all.stderr)")
                #expect(all.stdout.contains("Trae shows the model at most 40 tools"))
                let suggested = try #require(
                    all.stdout.firstMatch(of: /SOCIAL_DATA_MCP_TOOLSETS=([a-z,]+) \((\d+) tools\)/)
                )
                #expect(Int(suggested.output.2) ?? 99 <= 40)
                // The suggestion is taken as it is and fits: no note then.
                let fitting = try await run(
                    ["install", "trae", "--env", "SOCIAL_DATA_MCP_TOOLSETS=\(suggested.output.1)"],
                    home: home
                )
                #expect(fitting.status == 0, "\(fitting.stderr)")
                #expect(!fitting.stdout.contains("at most 40 tools"))

                let url = project.appendingPathComponent(".trae/mcp.json")
                try write(InstallTarget.otherJSON, to: url)
                let keyed = try await run(
                    ["install", "trae", "--scope", "project", "--env", "DATANEXUS_API_KEY=\(Self.key)"],
                    home: home,
                    project: project
                )
                #expect(keyed.status == 2)
                #expect(keyed.stderr.contains("--scope user"))
                #expect(try String(contentsOf: url, encoding: .utf8) == InstallTarget.otherJSON, "nothing written")
                let plain = try await run(
                    ["install", "trae", "--scope", "project", "--env", "SOCIAL_DATA_MCP_TOOLSETS=geo"],
                    home: home,
                    project: project
                )
                #expect(plain.status == 0, "\(plain.stderr)")
                #expect(try ConfigParse.parse(url)["mcpServers"]?["github"]?["command"] == "gh-mcp")
                let removed = try await run(["uninstall", "trae", "--scope", "project"], home: home, project: project)
                #expect(removed.status == 0, "\(removed.stderr)")
                #expect(try Data(contentsOf: url) == Data(InstallTarget.otherJSON.utf8))
            }
        }
    }

    @Test func cherryStudioGetsTheJSONToPaste() async throws {
        try await withTemporaryDirectory { home in
            let result = try await run(
                [
                    "install", "cherry-studio", "--print", "--env", "DATANEXUS_API_KEY=\(Self.key)", "--env",
                    "SOCIAL_DATA_MCP_TOOLSETS=geo",
                ],
                home: home
            )
            #expect(result.status == 0, "\(result.stderr)")
            let start = try #require(result.stdout.range(of: "\n{\n"))
            let end = try #require(result.stdout.range(of: "\n}\n", range: start.upperBound..<result.stdout.endIndex))
            let pasted = try JSONParser.parse(String(result.stdout[start.lowerBound..<end.upperBound]))
            let entry = pasted["mcpServers"]?["social-data"]
            #expect(entry?["command"] == .string(InstallEndToEndTests.stableBinary(home: home)))
            #expect(entry?["env"]?["SOCIAL_DATA_MCP_TOOLSETS"] == "geo")
            #expect(entry?["env"]?["DATANEXUS_API_KEY"] == "dn_l…3c", "the key is masked even here")
            #expect(!result.stdout.contains(Self.key))
            let written = try FileManager.default.subpathsOfDirectory(atPath: home.path)
                .filter { !$0.hasPrefix(".social-data-mcp-state") }
            #expect(written.isEmpty, "--print writes nothing: \(written)")
            let placed = try await run(["install", "cherry-studio"], home: home)
            #expect(placed.status == 0, "\(placed.stderr)")
            #expect(FileManager.default.fileExists(atPath: InstallEndToEndTests.stableBinary(home: home)))
            let uninstall = try await run(["uninstall", "cherry-studio"], home: home)
            #expect(uninstall.status == 2)
            #expect(uninstall.stderr.contains("Settings → MCP Servers"))
        }
    }

    @Test func usageReadsTheLimitAndLedgerOfTheInstalledEntry() async throws {
        try await withTemporaryDirectory { home in
            let state = home.appendingPathComponent("cursor-state").path
            let installed = try await run(
                ["install", "cursor", "--daily-limit-cny", "1", "--env", "SOCIAL_DATA_MCP_STATE_DIR=\(state)"],
                home: home
            )
            #expect(installed.status == 0, "\(installed.stderr)")
            let entry = try await run(["usage", "--client", "cursor"], home: home)
            #expect(entry.status == 0, "\(entry.stderr)")
            #expect(entry.stdout.contains("of the ¥1.00 daily limit"), "\(entry.stdout)")
            #expect(entry.stdout.contains("Ledger: \(state)/ledger"))
            let shell = try await run(["usage"], home: home)
            #expect(shell.stdout.contains("¥50.00"), "without --client: this shell's settings")
            let missing = try await run(["usage", "--client", "windsurf"], home: home)
            #expect(missing.status == 2)
            #expect(missing.stderr.contains("install it first"))
        }
    }

    @Test func anUnknownClientGetsTheNearestNames() async throws {
        try await withTemporaryDirectory { home in
            let result = try await run(["install", "claude"], home: home)
            #expect(result.status == 2)
            #expect(
                result.stderr.contains("unknown client 'claude' (did you mean 'claude-code' or 'claude-desktop'?)"),
                "\(result.stderr)"
            )
            #expect(!result.stderr.contains("needs one client"))
        }
    }
}
