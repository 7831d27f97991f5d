import Foundation
import Testing
import Wire

/// `install CLIENT --remote URL --token-env VAR`: an entry for the team server in every
/// client that can read the token from its environment, with only a reference to it.
@Suite("install --remote: team server entries")
struct RemoteInstallEndToEndTests {
    /// What each client's entry must say, by client: the URL's key and the token's form.
    static let expected: [String: (urlKey: String, authorization: String?, type: String?)] = [
        "claude-code": ("url", "Bearer ${SDM_TOKEN}", "http"),
        "cursor": ("url", "Bearer ${env:SDM_TOKEN}", nil),
        "vscode": ("url", "Bearer ${input:social-data-SDM_TOKEN}", "http"),
        "codex": ("url", nil, nil),
        "gemini-cli": ("httpUrl", "Bearer $SDM_TOKEN", nil),
        "windsurf": ("serverUrl", "Bearer ${env:SDM_TOKEN}", nil),
    ]

    static let targets = InstallTarget.all.filter { expected[$0.client] != nil }
    private static let url = "https://team.example.com/mcp"
    private static let token = "sdm_team_token_never_written_0001"

    private func run(
        _ verb: String,
        _ target: InstallTarget,
        home: URL,
        project: URL,
        _ extra: [String]
    ) async throws
        -> CommandRun
    {
        var arguments = [verb, target.client] + extra
        if let scope = target.scope { arguments += ["--scope", scope] }
        return try await CommandRun.run(
            arguments,
            environment: ["HOME": home.path, "SDM_TOKEN": Self.token],
            directory: project
        )
    }

    @Test("a remote entry replaces the stdio one, holds a reference only, and uninstalls", arguments: targets)
    func aRemoteEntryHoldsOnlyAReference(_ target: InstallTarget) async throws {
        try await withTemporaryDirectory { home in
            try await withTemporaryDirectory { project in
                let file = target.file(home: home, project: project)
                let stdio = try await run("install", target, home: home, project: project, [])
                #expect(stdio.status == 0, "\(stdio.stderr)")
                let remote = try await run(
                    "install",
                    target,
                    home: home,
                    project: project,
                    ["--remote", Self.url, "--token-env", "SDM_TOKEN"]
                )
                #expect(remote.status == 0, "\(remote.stderr)")
                let text = try String(contentsOf: file, encoding: .utf8)
                #expect(!text.contains(Self.token), "the token itself is never written")
                #expect(!remote.stdout.contains(Self.token) && !remote.stderr.contains(Self.token))
                let parsed = try ConfigParse.parse(file)
                let entry = try #require(parsed[target.container ?? "mcp_servers"]?["social-data"])
                let expected = try #require(Self.expected[target.client])
                #expect(entry[expected.urlKey]?.stringValue == Self.url)
                #expect(entry["command"] == nil && entry["args"] == nil && entry["env"] == nil, "no stdio leftovers")
                if let authorization = expected.authorization {
                    #expect(entry["headers"]?["Authorization"]?.stringValue == authorization)
                } else {
                    #expect(entry["bearer_token_env_var"]?.stringValue == "SDM_TOKEN")
                }
                #expect(entry["type"]?.stringValue == expected.type)
                let again = try await run(
                    "install",
                    target,
                    home: home,
                    project: project,
                    ["--remote", Self.url, "--token-env", "SDM_TOKEN"]
                )
                #expect(again.stdout.contains("nothing changed"))
                let removed = try await run("uninstall", target, home: home, project: project, [])
                #expect(removed.status == 0, "\(removed.stderr)")
                let left = try ConfigParse.parse(file)
                #expect(left[target.container ?? "mcp_servers"]?["social-data"] == nil)
            }
        }
    }

    @Test func clientsThatCannotReadATokenAndUnsafeURLsAreRefusedWithNothingWritten() async throws {
        try await withTemporaryDirectory { home in
            try await withTemporaryDirectory { project in
                let cases: [([String], String)] = [
                    (["trae", "--remote", Self.url, "--token-env", "SDM_TOKEN"], "cannot read a token"),
                    (["claude-desktop", "--remote", Self.url, "--token-env", "SDM_TOKEN"], "cannot read a token"),
                    (["cursor", "--remote", "http://team.example.com/mcp", "--token-env", "SDM_TOKEN"], "https://"),
                    (["cursor", "--remote", Self.url], "--token-env"),
                    (["cursor", "--remote", Self.url, "--token-env", "1BAD"], "variable name"),
                    (
                        ["cursor", "--remote", Self.url, "--token-env", "T", "--env", "DATANEXUS_API_KEY=k"],
                        "no settings"
                    ),
                ]
                for (arguments, reason) in cases {
                    let run = try await CommandRun.run(
                        ["install"] + arguments,
                        environment: ["HOME": home.path],
                        directory: project
                    )
                    #expect(run.status != 0 && run.stderr.contains(reason), "\(arguments): \(run.stderr)")
                }
                let written = try FileManager.default.subpathsOfDirectory(atPath: home.path)
                    .filter { !$0.hasPrefix(".social-data-mcp-state") && !$0.hasPrefix(".local") }
                #expect(written.isEmpty, "nothing written: \(written)")
                let local = try await CommandRun.run(
                    ["install", "cursor", "--remote", "http://127.0.0.1:8080/mcp", "--token-env", "SDM_TOKEN"],
                    environment: ["HOME": home.path],
                    directory: project
                )
                #expect(local.status == 0, "plain http to this machine is fine: \(local.stderr)")
            }
        }
    }
}
