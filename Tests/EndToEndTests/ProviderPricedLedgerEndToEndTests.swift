import Catalog
import Foundation
import Locking
import LoopbackStandIn
import Testing
import Upstream
import Wire

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tools priced by the provider afterwards (DataTrust's yuan per call) across real server
/// processes: their worst case is held, so the limits hold; crashes, hostile charges, reused
/// pids and damaged lines leave the ledger correct and the commands working.
@Suite("Provider-priced ledger end to end") struct ProviderPricedLedgerEndToEndTests {
    /// A DataTrust stand-in whose model detail charges `charge` (as the JSON number given)
    /// and counts the requests it answered.
    final class DataTrustStandIn: Sendable {
        let requests = Locked(0)
        let arrivals: AsyncStream<Void>
        private let arrived: AsyncStream<Void>.Continuation
        let charge: Double
        let delay: TimeInterval

        init(charge: Double, delay: TimeInterval = 0.05) {
            (arrivals, arrived) = AsyncStream.makeStream()
            self.charge = charge
            self.delay = delay
        }

        var handler: LoopbackServer.Handler {
            { [self] request in
                guard request.path.contains("/models/") else { return DocumentedResponses.respond(request) }
                requests.withLock { $0 += 1 }
                arrived.yield()
                var response = StubResponse.json(
                    200,
                    [
                        "success": true, "data": ["id": 1, "name": "用户行为数据模型"], "credits_charged": charge,
                        "balance_remaining": 47.0,
                    ]
                )
                response.delay = delay
                return response
            }
        }

        var answered: Int { requests.withLock { $0 } }
    }

    static func environment(_ upstream: LoopbackServer, state: String, limit: String = "5") -> [String: String] {
        [
            "DATATRUST_API_KEY": Harness.keys["DATATRUST_API_KEY"] ?? "",
            "DATATRUST_BASE_URL": DocumentedResponses.baseURLs(upstream.baseURL())["DATATRUST_BASE_URL"] ?? "",
            "SOCIAL_DATA_MCP_STATE_DIR": state,
            "SOCIAL_DATA_MCP_DAILY_LIMIT_CNY": limit,
            "SOCIAL_DATA_MCP_CACHE_TTL": "0",
        ]
    }

    static func usage(
        _ environment: [String: String],
        _ arguments: [String] = ["--format", "json"]
    ) async throws
        -> CommandRun
    {
        try await withTemporaryDirectory { directory in
            try await CommandRun.run(["usage"] + arguments, environment: environment, directory: directory)
        }
    }

    static func monthFile(_ state: String) -> String {
        let month = DateFormatter()
        month.dateFormat = "yyyy-MM"
        month.locale = Locale(identifier: "en_US_POSIX")
        return state + "/ledger/\(month.string(from: Date())).jsonl"
    }

    @Test(arguments: [3.0, 1.0])
    func processesPipeliningAProviderPricedToolNeverPassTheDailyLimit(charge: Double) async throws {
        let standIn = DataTrustStandIn(charge: charge)
        let upstream = try LoopbackServer(handler: standIn.handler)
        let environment = Self.environment(upstream, state: try ServerProcess.freshStateDirectory())
        var servers: [ServerProcess] = []
        for index in 0..<4 {
            let server = try ServerProcess(environment: environment, name: "datatrust-\(index)")
            try await server.initialize()
            servers.append(server)
        }
        // Each process pipelines 8 calls; ¥3.00 (the documented charge) is held for each.
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for (index, server) in servers.enumerated() {
                for call in 0..<8 {
                    group.addTask {
                        let result = try await server.callTool(
                            "datatrust_get_model",
                            ["id": .string("\(index)-\(call)")]
                        )
                        return !result.isToolError
                    }
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        let charged = Money.yuan(charge).times(standIn.answered)
        #expect(charged <= .yuan(5), "the provider charged \(charged.formatted) under a ¥5.00 limit")
        #expect(standIn.answered >= 1 && results.filter { $0 }.count == standIn.answered)
        let json = try JSONParser.parse(try await Self.usage(environment).stdout)
        #expect(json["limits"]?["daily_cny"]?["spent"] == .double(charged.amount), "the ledger holds what was charged")
        for server in servers { await server.stop() }
    }

    @Test func killDashNineDuringAProviderPricedCallLeavesAHoldCountedAtItsReserve() async throws {
        let standIn = DataTrustStandIn(charge: 3, delay: 30)
        let upstream = try LoopbackServer(handler: standIn.handler)
        let environment = Self.environment(upstream, state: try ServerProcess.freshStateDirectory())
        let server = try ServerProcess(environment: environment)
        try await server.initialize()
        server.send([
            "jsonrpc": "2.0", "id": 7, "method": "tools/call",
            "params": ["name": "datatrust_get_model", "arguments": ["id": "1"]],
        ])
        for await _ in standIn.arrivals { break }
        kill(server.process.processIdentifier, SIGKILL)
        _ = await server.waitForExit()

        let json = try JSONParser.parse(try await Self.usage(environment).stdout)
        let unsettled = json["unsettled"]?.arrayValue ?? []
        #expect(unsettled.count == 1)
        #expect(unsettled.first?["worst_case"] == 3.0)
        #expect(json["limits"]?["daily_cny"]?["spent"] == 3.0, "counted at its reserve, never ¥0")
        // ¥2.00 left: another ¥3.00 call is refused in a new process, nothing sent.
        let next = try ServerProcess(environment: environment)
        try await next.initialize()
        let refused = try await next.callTool("datatrust_get_model", ["id": "2"])
        #expect(refused.isToolError)
        #expect(standIn.answered == 1)
        await next.stop()
        await server.stop()
    }

    @Test(arguments: [-1000.0, 1e300])
    func aNegativeOrAbsurdChargeIsRecordedAtTheReserve(charge: Double) async throws {
        let standIn = DataTrustStandIn(charge: charge)
        let upstream = try LoopbackServer(handler: standIn.handler)
        let environment = Self.environment(upstream, state: try ServerProcess.freshStateDirectory(), limit: "100")
        let server = try ServerProcess(environment: environment)
        try await server.initialize()
        let result = try await server.callTool("datatrust_get_model", ["id": "1"])
        // The result states what the ledger recorded and why, never a saturated number
        // (¥922337203685477.5807) nor "as reported" for an amount the provider did not report.
        let text = result.textView
        #expect(text.contains("out of range"), "\(text)")
        #expect(text.contains("the charge the provider reported was out of range"), "\(text)")
        #expect(!text.contains("922337203685477"), "\(text)")
        #expect(!text.contains("as reported by"), "\(text)")
        let usage = try await server.callTool("social_data_usage")
        #expect(!usage.isToolError, "the server is still alive")
        await server.stop()
        let json = try JSONParser.parse(try await Self.usage(environment).stdout)
        #expect(json["limits"]?["daily_cny"]?["spent"] == 3.0, "neither a credit nor a trap")
        #expect(json["limits"]?["daily_cny"]?["remaining"] == 97.0)
    }

    @Test func aHoldOfAReusedPidIsUnsettledAndCanBeClearedById() async throws {
        let state = try ServerProcess.freshStateDirectory()
        let environment = [
            "SOCIAL_DATA_MCP_STATE_DIR": state, "SOCIAL_DATA_MCP_DAILY_LIMIT_CNY": "5",
        ]
        try FileManager.default.createDirectory(atPath: state + "/ledger", withIntermediateDirectories: true)
        // This test process is alive, but it did not start at time 1: its pid was reused.
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let line =
            #"{"e":"hold","id":"ghost","t":\#(now),"pid":\#(getpid()),"ps":1,"tool":"datatrust_get_model","#
            + #""provider":"datatrust","cur":"cny","units":30000,"basis":"documented"}"# + "\n"
        try Data(line.utf8).write(to: URL(fileURLWithPath: Self.monthFile(state)))
        let json = try JSONParser.parse(try await Self.usage(environment).stdout)
        #expect(json["unsettled"]?.arrayValue?.first?["id"] == "ghost")
        let cleared = try await Self.usage(environment, ["--clear-unsettled", "ghost"])
        #expect(cleared.stdout.contains("ghost"), "\(cleared.stdout)")
        #expect(cleared.stdout.contains("Cleared 1 unsettled hold"))
        let after = try JSONParser.parse(try await Self.usage(environment).stdout)
        #expect(after["limits"]?["daily_cny"]?["spent"] == 0.0)
        let unknown = try await Self.usage(environment, ["--clear-unsettled", "nope"])
        #expect(unknown.status != 0)
    }

    @Test func linesWithAmountsNearInt64MaxAreSkippedAndReportedByUsageAndDoctor() async throws {
        let standIn = DataTrustStandIn(charge: 1)
        let upstream = try LoopbackServer(handler: standIn.handler)
        let state = try ServerProcess.freshStateDirectory()
        let environment = Self.environment(upstream, state: state)
        try FileManager.default.createDirectory(atPath: state + "/ledger", withIntermediateDirectories: true)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let lines = (0..<2).map { index in
            #"{"e":"settle","id":"big-\#(index)","t":\#(now),"pid":1,"cur":"cny","units":9223372036854775800}"#
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: Self.monthFile(state)))

        let server = try ServerProcess(environment: environment)
        try await server.initialize()
        let result = try await server.callTool("datatrust_get_model", ["id": "1"])
        #expect(!result.isToolError, "\(result.textView)")
        await server.stop()
        let usage = try await Self.usage(environment, [])
        #expect(usage.status == 0)
        #expect(usage.stdout.contains("2 ledger line(s) with an amount out of range"), "\(usage.stdout)")
        let json = try JSONParser.parse(try await Self.usage(environment).stdout)
        #expect(json["out_of_range_lines"] == 2)
        #expect(json["limits"]?["daily_cny"]?["spent"] == 1.0)
        let doctor = try await withTemporaryDirectory { directory in
            try await CommandRun.run(["doctor"], environment: environment, directory: directory)
        }
        #expect(doctor.stdout.contains("2 line(s) with an amount out of range"), "\(doctor.stdout)")
    }
}
