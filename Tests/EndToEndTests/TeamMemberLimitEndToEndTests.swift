import Catalog
import Foundation
import LoopbackStandIn
import Testing
import Upstream
import Wire

/// A member's own daily limit on the team server, end to end: the built binary serving
/// `serve --http` against the loopback stand-in, members made with `member add`, calls
/// sent as stateless MCP 2026-07-28 requests.
@Suite struct TeamMemberLimitEndToEndTests {
    /// The team server and its stand-in.
    struct TeamServer {
        let upstream: LoopbackServer
        let server: ServerProcess
        let url: URL
        let environment: [String: String]

        /// One `tools/call` as a member, answered as JSON: stateless (2026-07-28), or in a
        /// 2025-11-25 `session`.
        func call(
            _ token: String,
            _ tool: String,
            _ arguments: JSONValue,
            id: Int,
            session: String? = nil
        ) async throws -> JSONValue {
            var params: [String: JSONValue] = ["name": .string(tool), "arguments": arguments]
            var headers = ["Authorization": "Bearer \(token)", "Content-Type": "application/json"]
            headers["Accept"] = "application/json"
            if let session {
                headers["Mcp-Session-Id"] = session
                headers["MCP-Protocol-Version"] = "2025-11-25"
            } else {
                params["_meta"] = [
                    "io.modelcontextprotocol/protocolVersion": "2026-07-28",
                    "io.modelcontextprotocol/clientCapabilities": [:],
                ]
                headers["MCP-Protocol-Version"] = "2026-07-28"
                headers["Mcp-Method"] = "tools/call"
                headers["Mcp-Name"] = tool
            }
            let body: JSONValue = ["jsonrpc": "2.0", "id": .int(id), "method": "tools/call", "params": .object(params)]
            let response = try await post(body, headers: headers)
            #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
            return try JSONParser.parse(response.body)["result"] ?? .null
        }

        /// A 2025-11-25 session of the member: `initialize`, then `notifications/initialized`.
        func openSession(_ token: String) async throws -> String {
            let headers = [
                "Authorization": "Bearer \(token)", "Content-Type": "application/json", "Accept": "application/json",
            ]
            let initialize: JSONValue = [
                "jsonrpc": "2.0", "id": 0, "method": "initialize",
                "params": [
                    "protocolVersion": "2025-11-25", "capabilities": [:],
                    "clientInfo": ["name": "member-limit-test", "version": "1"],
                ],
            ]
            let opened = try await post(initialize, headers: headers)
            let session = try #require(opened.headers["mcp-session-id"], "initialize opens a session")
            var inSession = headers
            inSession["Mcp-Session-Id"] = session
            inSession["MCP-Protocol-Version"] = "2025-11-25"
            let initialized: JSONValue = ["jsonrpc": "2.0", "method": "notifications/initialized"]
            #expect(try await post(initialized, headers: inSession).status == 202)
            return session
        }

        private func post(_ body: JSONValue, headers: [String: String]) async throws -> HTTPResponse {
            let request = HTTPRequest(method: .post, url: url, headers: headers, body: body.jsonBytes)
            return try await URLSessionTransport().send(request, timeout: .seconds(60))
        }

        /// Runs the CLI against the same state folder.
        func command(_ arguments: [String]) async throws -> CommandRun {
            try await TeamMemberLimitEndToEndTests.command(arguments, environment: environment)
        }

        /// Author look-ups the stand-in received.
        var authorRequests: Int { upstream.requests.filter { $0.decodedPath.contains("author") }.count }
    }

    static func command(_ arguments: [String], environment: [String: String]) async throws -> CommandRun {
        try await withTemporaryDirectory { directory in
            try await CommandRun.run(arguments, environment: environment, directory: directory)
        }
    }

    /// Starts the stand-in and `serve --http 127.0.0.1:0` over a fresh state folder, after
    /// `members` (name, then `member add` options) were added.
    static func start(members: [[String]]) async throws -> (TeamServer, [String]) {
        let upstream = try LoopbackServer(handler: DocumentedResponses.makeHandler())
        var environment = Harness.keys.merging(DocumentedResponses.baseURLs(upstream.baseURL())) { _, url in url }
        environment["SOCIAL_DATA_MCP_STATE_DIR"] = try ServerProcess.freshStateDirectory()
        environment["HOME"] = NSTemporaryDirectory()
        var tokens: [String] = []
        for member in members {
            let run = try await command(["member", "add"] + member + ["--format", "json"], environment: environment)
            #expect(run.status == 0, "\(run.stderr)")
            tokens.append(try #require(try JSONParser.parse(Array(run.stdout.utf8))["token"]?.stringValue))
        }
        return (try await serve(environment, upstream: upstream), tokens)
    }

    /// `serve --http 127.0.0.1:0` over `environment`'s state folder, once it listens.
    static func serve(_ environment: [String: String], upstream: LoopbackServer) async throws -> TeamServer {
        let server = try ServerProcess(environment: environment, arguments: ["serve", "--http", "127.0.0.1:0"])
        let deadline = ContinuousClock.now + .seconds(30)
        var address: String?
        while address == nil, ContinuousClock.now < deadline {
            address =
                server.stderr.split(separator: "\n").lazy.compactMap { line in
                    line.range(of: "serving MCP at ").map { String(line[$0.upperBound...].prefix { $0 != " " }) }
                }.first
            if address == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        let url = try #require(address.flatMap(URL.init(string:)), "the team server did not start: \(server.stderr)")
        return TeamServer(upstream: upstream, server: server, url: url, environment: environment)
    }

    /// Stops a team server with SIGTERM, as an operator does, and checks it exits cleanly.
    static func stop(_ team: TeamServer) async {
        kill(team.server.process.processIdentifier, SIGTERM)
        #expect(await team.server.waitForExit(timeout: .seconds(20)) == 0, "SIGTERM stops it cleanly")
        await team.server.stop()
    }

    @Test func aMemberWithAOneYuanDailyLimitIsRefusedAfterTwelveCallsWhileAnotherStillWorks() async throws {
        let (team, tokens) = try await Self.start(members: [["alice", "--daily-limit-cny", "1"], ["bob"]])
        let (alice, bob) = (tokens[0], tokens[1])
        for index in 0..<12 {
            let result = try await team.call(
                alice,
                "datanexus_get_author",
                ["platform": "douyin", "id": .string("a\(index)")],
                id: index
            )
            #expect(result["isError"]?.boolValue != true, "call \(index + 1) of ¥0.08 fits alice's ¥1")
        }
        #expect(team.authorRequests == 12)
        let refused = try await team.call(alice, "datanexus_get_author", ["platform": "douyin", "id": "a12"], id: 12)
        let text = refused["content"]?.arrayValue?.first?["text"]?.stringValue ?? ""
        let error = refused["structuredContent"]?["error"]
        #expect(refused["isError"]?.boolValue == true)
        #expect(
            text.contains("alice's own daily limit") && text.contains("¥1.00") && text.contains("leaving ¥0.04"),
            "\(text)"
        )
        #expect(error?["limit_owner"]?.stringValue == "member" && error?["member"]?.stringValue == "alice")
        #expect(error?["available"]?.doubleValue == 0.04 && error?["spent"]?.doubleValue == 0.96)
        #expect(team.authorRequests == 12, "nothing was sent for the refused call")
        let other = try await team.call(bob, "datanexus_get_author", ["platform": "douyin", "id": "b0"], id: 20)
        #expect(other["isError"]?.boolValue != true, "bob still works")
        #expect(team.authorRequests == 13)
        let usage = try await team.call(alice, "social_data_usage", [:], id: 21)
        let data = usage["structuredContent"]?["data"]
        #expect(data?["member"]?["name"]?.stringValue == "alice")
        #expect(data?["member"]?["today_cny"]?["spent"]?.doubleValue == 0.96)
        #expect(data?["member"]?["today_cny"]?["remaining"]?.doubleValue == 0.04)
        #expect(data?["all_processes"]?["today_cny"]?["spent"]?.doubleValue == 1.04)
        // Raised while the server runs, the limit applies to alice's next request, same token.
        let raised = try await team.command(["member", "limit", "alice", "--daily-limit-cny", "2"])
        #expect(raised.status == 0 && raised.stdout.contains("¥2.00"), "\(raised.stderr)")
        let again = try await team.call(alice, "datanexus_get_author", ["platform": "douyin", "id": "a13"], id: 22)
        #expect(again["isError"]?.boolValue != true, "¥1.04 fits the new ¥2")
        #expect(team.authorRequests == 14)
        await Self.stop(team)
        team.upstream.stop()

        // Every line names its member; `usage --by member` agrees with the stand-in.
        let ledger = team.environment["SOCIAL_DATA_MCP_STATE_DIR", default: ""] + "/ledger"
        let file = try #require(
            try FileManager.default.contentsOfDirectory(atPath: ledger).first { $0.hasSuffix(".jsonl") }
        )
        let events = try String(contentsOfFile: ledger + "/" + file, encoding: .utf8).split(separator: "\n")
            .compactMap { try? JSONParser.parse(Array($0.utf8)) }
        #expect(events.filter { $0["e"] == "hold" }.count == 14)
        #expect(events.allSatisfy { ["alice", "bob"].contains($0["member"]?.stringValue ?? "") })
        let run = try await team.command(["usage", "--by", "member", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try JSONParser.parse(Array(run.stdout.utf8))
        let rows = report["members"]?.arrayValue ?? []
        let byName = Dictionary(rows.map { ($0["label"]?.stringValue ?? "", $0) }) { first, _ in first }
        #expect(byName["alice"]?["calls"]?.intValue == 13 && byName["alice"]?["spent_cny"]?.doubleValue == 1.04)
        #expect(byName["alice"]?["daily_limit_cny"]?.doubleValue == 2)
        #expect(byName["bob"]?["calls"]?.intValue == 1 && byName["bob"]?["spent_cny"]?.doubleValue == 0.08)
        #expect(report["total"]?["calls"]?.intValue == team.authorRequests)
        #expect(!(run.stdout + team.server.stderr).contains(Harness.keys["DATANEXUS_API_KEY", default: "?"]))
    }

    @Test func twoTeamServersSharingAStateFolderNeverPassAMembersLimitTogether() async throws {
        let (first, tokens) = try await Self.start(members: [["alice", "--daily-limit-cny", "1"]])
        let second = try await Self.serve(first.environment, upstream: first.upstream)
        // Twenty concurrent ¥0.08 calls, alternating between the two processes: their admits
        // meet only in the ledger's flock.
        let paid = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<20 {
                let team = index.isMultiple(of: 2) ? first : second
                group.addTask {
                    let result = try await team.call(
                        tokens[0],
                        "datanexus_get_author",
                        ["platform": "douyin", "id": .string("two_\(index)")],
                        id: index
                    )
                    return result["isError"]?.boolValue != true
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(paid == 12, "¥1 holds twelve ¥0.08 calls, whichever process admits them")
        #expect(first.authorRequests == 12, "and only those were sent")
        await Self.stop(first)
        await Self.stop(second)
        first.upstream.stop()
        let run = try await first.command(["usage", "--by", "member", "--format", "csv"])
        let rows = run.stdout.split(separator: "\r\n").map { $0.split(separator: ",").map(String.init) }
        #expect(rows.count == 2 && rows[1][1] == "alice" && rows[1][4] == "12" && rows[1][9] == "0.96", "\(run.stdout)")
    }

    @Test func memberAddValidatesLimitsLikeTheSettingsAndListShowsThem() async throws {
        var environment = Harness.keys
        environment["SOCIAL_DATA_MCP_STATE_DIR"] = try ServerProcess.freshStateDirectory()
        for bad in ["-1", "abc", "1e999"] {
            let run = try await Self.command(
                ["member", "add", "x", "--daily-limit-cny", bad],
                environment: environment
            )
            #expect(run.status != 0 && run.stderr.contains("expected a number of yuan ≥ 0, or none"), "\(run.stderr)")
        }
        let credits = try await Self.command(
            ["member", "add", "x", "--daily-limit-credits", "1.5"],
            environment: environment
        )
        #expect(credits.status != 0 && credits.stderr.contains("whole numbers"))
        for member in [
            ["ann", "--daily-limit-cny", "2.5", "--monthly-limit-cny", "40"], ["ben", "--daily-limit-cny", "none"],
        ] {
            let run = try await Self.command(["member", "add"] + member, environment: environment)
            #expect(run.status == 0, "\(run.stderr)")
        }
        let listed = try await Self.command(["member", "list", "--format", "json"], environment: environment)
        let rows = try JSONParser.parse(Array(listed.stdout.utf8)).arrayValue ?? []
        #expect(rows.map { $0["member"]?.stringValue } == ["ann", "ben"], "x was never added")
        #expect(
            rows.first?["daily_limit_cny"]?.doubleValue == 2.5 && rows.first?["monthly_limit_cny"]?.doubleValue == 40
        )
        #expect(rows.last?["daily_limit_cny"] == .null)
        let changed = try await Self.command(
            ["member", "limit", "ann", "--daily-limit-cny", "none", "--format", "json"],
            environment: environment
        )
        let ann = try JSONParser.parse(Array(changed.stdout.utf8)).arrayValue?.first
        #expect(ann?["daily_limit_cny"] == .null && ann?["monthly_limit_cny"]?.doubleValue == 40, "\(changed.stderr)")
        let nothing = try await Self.command(["member", "limit", "ann"], environment: environment)
        #expect(nothing.status != 0 && nothing.stderr.contains("--daily-limit-cny"))
        let table = try await Self.command(["member", "list"], environment: environment)
        #expect(
            table.stdout.split(separator: "\n").contains {
                $0.hasPrefix("ann ") && $0.contains("none") && $0.contains("¥40.00")
            }
        )
        let file = environment["SOCIAL_DATA_MCP_STATE_DIR", default: ""] + "/members.json"
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func aLimitChangedWhileASessionIsOpenAppliesToItsNextCall() async throws {
        let (team, tokens) = try await Self.start(members: [["alice", "--daily-limit-cny", "0.16"]])
        let session = try await team.openSession(tokens[0])
        func call(_ id: Int) async throws -> JSONValue {
            try await team.call(
                tokens[0],
                "datanexus_get_author",
                ["platform": "douyin", "id": .string("s\(id)")],
                id: id,
                session: session
            )
        }
        for id in 1...2 { #expect(try await call(id)["isError"]?.boolValue != true) }
        let refused = try await call(3)
        #expect(refused["structuredContent"]?["error"]?["limit"]?.doubleValue == 0.16)
        let raised = try await team.command(["member", "limit", "alice", "--daily-limit-cny", "0.24"])
        #expect(raised.status == 0, "\(raised.stderr)")
        #expect(try await call(4)["isError"]?.boolValue != true, "the open session sees the new ¥0.24")
        #expect(try await call(5)["structuredContent"]?["error"]?["limit"]?.doubleValue == 0.24)
        #expect(team.authorRequests == 3)
        await Self.stop(team)
        team.upstream.stop()
    }
}
