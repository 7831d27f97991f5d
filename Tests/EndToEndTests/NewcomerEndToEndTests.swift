import CLI
import Foundation
import LoopbackStandIn
import Testing
import Wire

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a new user meets first: reports that read the installed entry, suggestions for a
/// mistyped name, `-v`, sample pages of the size asked for, and a note on a terminal.
@Suite("what a newcomer meets: doctor --client, suggestions, sandbox pages, the terminal note")
struct NewcomerEndToEndTests {
    static let key = "dn_live_newcomer_secret_9f2e"

    private func run(_ arguments: [String], home: URL, extra: [String: String] = [:]) async throws -> CommandRun {
        try await CommandRun.run(
            arguments,
            environment: ["HOME": home.path].merging(extra) { _, new in new },
            directory: home
        )
    }

    @Test func doctorClientReportsWhatTheEntryRunsWithAndPlainDoctorListsEntries() async throws {
        try await withTemporaryDirectory { home in
            let state = home.appendingPathComponent("entry-state").path
            let installed = try await run(
                [
                    "install", "claude-code", "--env", "DATANEXUS_API_KEY=\(Self.key)", "--daily-limit-cny", "1",
                    "--env", "SOCIAL_DATA_MCP_STATE_DIR=\(state)",
                ],
                home: home
            )
            #expect(installed.status == 0, "\(installed.stderr)")
            let entry = try await run(["doctor", "--client", "claude-code", "--sandbox"], home: home)
            #expect(entry.status == 0, "\(entry.stderr)")
            #expect(entry.stdout.contains("Settings from Claude Code's entry in \(home.path)/.claude.json"))
            #expect(entry.stdout.contains("DATANEXUS_API_KEY \(SecretRedactor.mask(Self.key))"), "\(entry.stdout)")
            #expect(entry.stdout.contains("daily ¥1.00"), "the entry's limit: \(entry.stdout)")
            #expect(entry.stdout.contains("State directory: \(state)"))
            let shell = try await run(["doctor", "--sandbox"], home: home)
            #expect(shell.stdout.contains("DATANEXUS_API_KEY not set"), "plain doctor reads this shell")
            #expect(shell.stdout.contains("claude-code (user, \(home.path)/.claude.json)"), "\(shell.stdout)")
            #expect(
                shell.stdout.contains(
                    "set in the entry, not in this shell: DATANEXUS_API_KEY=\(SecretRedactor.mask(Self.key))"
                )
            )
            for output in [entry.stdout + entry.stderr, shell.stdout + shell.stderr, installed.stdout] {
                #expect(!output.contains(Self.key), "a key was printed")
            }
        }
    }

    @Test func doctorClientSaysWhenTheEntryWouldNotStart() async throws {
        try await withTemporaryDirectory { home in
            // Written by hand: install itself refuses such a value.
            let entry =
                #"{"mcpServers": {"social-data": {"command": "/nowhere/social-data-mcp", "args": [], "#
                + #""env": {"SOCIAL_DATA_MCP_DAILY_LIMIT_CNY": "abc"}}}}"#
            try Data(entry.utf8).write(to: home.appendingPathComponent(".claude.json"))
            let report = try await run(["doctor", "--client", "claude-code", "--sandbox"], home: home)
            #expect(report.status == 1, "\(report.stderr)")
            #expect(report.stdout.contains("The server would not start with these settings:"), "\(report.stdout)")
            #expect(report.stdout.contains("/nowhere/social-data-mcp is missing or not executable"))
        }
    }

    @Test func doctorInSandboxModeProbesNothing() async throws {
        let upstream = try LoopbackServer(handler: DocumentedResponses.makeHandler())
        defer { upstream.stop() }
        try await withTemporaryDirectory { home in
            let urls = DocumentedResponses.baseURLs(upstream.baseURL())
            let sandboxed = try await run(["doctor", "--sandbox"], home: home, extra: urls)
            #expect(sandboxed.status == 0, "\(sandboxed.stderr)")
            #expect(upstream.requests.isEmpty, "doctor --sandbox sent \(upstream.requests.map(\.path))")
            // The same command without --sandbox does probe the stand-in: the check can fail.
            _ = try await run(["doctor"], home: home, extra: urls)
            #expect(!upstream.requests.isEmpty)
        }
    }

    @Test func mistypedNamesGetTheNearestValidOne() async throws {
        try await withTemporaryDirectory { home in
            let cases: [([String], String)] = [
                (["instal", "cursor"], "unknown command 'instal' (did you mean 'install'"),
                (["install", "claud-code"], "unknown client 'claud-code' (did you mean 'claude-code'?)"),
                (["tools", "--formt", "mcp"], "unknown option --formt for 'tools' (did you mean '--format'?)"),
                (["call", "datanexus_list_author", "--sandbox"], "(did you mean 'datanexus_list_authors'"),
                (["tools", "--toolsets", "datanexsu"], "unknown toolset 'datanexsu' (did you mean 'datanexus'?)"),
                (["help", "doctr"], "(did you mean 'doctor'?)"),
            ]
            for (arguments, expected) in cases {
                let result = try await run(arguments, home: home)
                #expect(result.status == 2, "\(arguments)")
                #expect(result.stderr.contains(expected), "\(arguments): \(result.stderr)")
                #expect(result.stdout.isEmpty)
            }
            let version = try await run(["-v"], home: home)
            #expect(version.stdout == "social-data-mcp \(ServerIdentity.version)\n")
        }
    }

    @Test func anUnknownToolOverMCPGetsTheNearestName() async throws {
        try await withHarness { harness in
            let response = try await harness.server.request(
                "tools/call",
                ["name": "datanexus_list_work", "arguments": [:]]
            )
            let message = response["error"]?["message"]?.stringValue ?? ""
            #expect(
                message.contains("Unknown tool: datanexus_list_work (did you mean 'datanexus_list_works'"),
                "\(message)"
            )
        }
    }

    @Test(arguments: [(3, 1), (1, 1), (5, 2)])
    func sandboxPagesHaveTheSizeAndPageAskedFor(_ size: Int, _ page: Int) async throws {
        try await withHarness(environment: ["SOCIAL_DATA_MCP_SANDBOX": "1"], omitting: Set(Harness.keys.keys)) {
            harness in
            let result = try await harness.server.callTool(
                "datanexus_list_authors",
                ["platform": "xiaohongshu", "page_size": .int(size), "page": .int(page)]
            )
            let data = result["structuredContent"]?["data"]
            #expect(data?["items"]?.arrayValue?.count == size, "\(result.resultText)")
            #expect(data?["page_size"] == .int(size))
            #expect(data?["page"] == .int(page))
            #expect(result.resultText.contains("SANDBOX: sample data"), "still labelled")
            #expect(result["structuredContent"]?["upstream"]?["sandbox"]?["page_items"] != nil)
            #expect(harness.upstream.callRequests.isEmpty)
        }
    }

    @Test func startedOnATerminalTheServerSaysWhatItIsOnStderr() async throws {
        var controller: Int32 = -1
        var terminal: Int32 = -1
        #expect(openpty(&controller, &terminal, nil, nil, nil) == 0)
        defer { close(controller) }
        try await withTemporaryDirectory { home in
            // ChildProcess, not Foundation's Process: the suite's one way to start a child
            // (Foundation's crashed now and then; its reads died on an interrupted call here).
            let process = try ChildProcess(
                path: ServerProcess.binaryPath,
                arguments: [],
                environment: [
                    "HOME": home.path, "SOCIAL_DATA_MCP_STATE_DIR": home.appendingPathComponent("state").path,
                ],
                inputDescriptor: terminal
            )
            close(terminal)
            // Ctrl-D on an empty line: the terminal's end of input, so the server stops.
            var endOfInput: UInt8 = 4
            #expect(write(controller, &endOfInput, 1) == 1)
            let stderr = await Task.detached { process.standardError.readDataToEndOfFile() }.value
            let stdout = process.standardOutput.readDataToEndOfFile()
            process.waitUntilExit()
            let text = String(decoding: stderr, as: UTF8.self)
            #expect(text.contains("it speaks MCP (JSON-RPC) on stdin/stdout"), "\(text)")
            #expect(text.contains("social-data-mcp install claude-code"))
            #expect(stdout.isEmpty, "stdout stays for MCP messages")
        }
    }

    @Test func onAPipeTheServerSaysNothingOfTheKind() async throws {
        try await withTemporaryDirectory { home in
            let result = try await run(["serve"], home: home)
            #expect(!result.stderr.contains("speaks MCP"), "\(result.stderr)")
        }
    }
}
