import Catalog
import Foundation
import Locking
import LoopbackStandIn
import Testing
import Wire

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The daily limit and the ledger across real server processes sharing one state
/// directory, against a stand-in that counts what it would have charged.
@Suite("Shared ledger end to end") struct SharedLedgerEndToEndTests {
    /// A DataNexus stand-in that returns exactly `page_size` works and counts the items it
    /// "charged" at ¥0.08 each; `arrived` hears of every request.
    final class ChargingStandIn: Sendable {
        let charged = Locked(0)
        let arrivals: AsyncStream<Void>
        private let arrived: AsyncStream<Void>.Continuation
        let delay: TimeInterval

        init(delay: TimeInterval = 0.05) {
            (arrivals, arrived) = AsyncStream.makeStream()
            self.delay = delay
        }

        var handler: LoopbackServer.Handler {
            { [self] request in
                if request.isPriceListRead { return DocumentedResponses.respond(request) }
                arrived.yield()
                let size = Int(request.query["page_size"] ?? "") ?? 20
                charged.withLock { $0 += size }
                let items = (0..<size).map { ["id": "w\($0)", "title": "作品 \($0)"] as [String: Any] }
                var response = StubResponse.json(200, ["success": true, "data": ["items": items, "total": size]])
                response.delay = delay
                return response
            }
        }

        var chargedYuan: Money { Money.yuan(0.08).times(charged.withLock { $0 }) }
    }

    static func environment(_ upstream: LoopbackServer, stateDirectory: String, limit: String = "5") -> [String: String]
    {
        [
            "DATANEXUS_API_KEY": Harness.keys["DATANEXUS_API_KEY"] ?? "",
            "DATANEXUS_BASE_URL": DocumentedResponses.baseURLs(upstream.baseURL())["DATANEXUS_BASE_URL"] ?? "",
            "SOCIAL_DATA_MCP_STATE_DIR": stateDirectory,
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

    @Test(arguments: [2, 4])
    func processesRacingParallelPaidCallsNeverJointlyPassTheDailyLimit(processes: Int) async throws {
        let standIn = ChargingStandIn()
        let upstream = try LoopbackServer(handler: standIn.handler)
        let state = try ServerProcess.freshStateDirectory()
        let environment = Self.environment(upstream, stateDirectory: state)
        var servers: [ServerProcess] = []
        for index in 0..<processes {
            let server = try ServerProcess(environment: environment, name: "racer-\(index)")
            try await server.initialize()
            servers.append(server)
        }
        // Each call's worst case is 10 × ¥0.08 = ¥0.80: at most six fit under ¥5.
        let costs = try await withThrowingTaskGroup(of: Double?.self) { group in
            for (index, server) in servers.enumerated() {
                for call in 0..<6 {
                    group.addTask {
                        let result = try await server.callTool(
                            "datanexus_list_works",
                            ["platform": "douyin", "keyword": .string("k\(index)-\(call)"), "page_size": 10]
                        )
                        return result.isToolError ? nil : result["structuredContent"]?["billing"]?["cost"]?.doubleValue
                    }
                }
            }
            return try await group.reduce(into: [Double?]()) { $0.append($1) }
        }
        let paid = costs.compactMap { $0 }
        #expect(paid.count == 6, "six ¥0.80 calls fit under ¥5, \(paid.count) were made")
        #expect(Money.yuan(paid.reduce(0, +)) <= .yuan(5))
        #expect(standIn.chargedYuan <= .yuan(5), "the provider charged \(standIn.chargedYuan.formatted)")
        #expect(costs.count - paid.count == processes * 6 - 6, "every other call was refused")

        let report = try await Self.usage(environment)
        let json = try JSONParser.parse(report.stdout)
        let today = json["days"]?.arrayValue?.last
        #expect(today?["spent_cny"] == .double(standIn.chargedYuan.amount), "the ledger holds what was charged")
        #expect(today?["calls"] == .int(6))

        // A new process, as a client restart starts one, still refuses.
        let restarted = try ServerProcess(environment: environment, name: "restarted")
        try await restarted.initialize()
        let refused = try await restarted.callTool(
            "datanexus_list_works",
            ["platform": "douyin", "keyword": "again", "page_size": 10]
        )
        #expect(refused.isToolError)
        #expect(refused["structuredContent"]?["error"]?["limit_scope"] == "day")
        #expect(refused.textView.contains("¥4.80 today"), "\(refused.textView)")
        #expect(refused.textView.contains("A call with page_size ≤ 2 would fit."))
        for server in servers + [restarted] { await server.stop() }
    }

    /// A quoted call is held under the process's ceiling before the shared limits: a call
    /// the ceiling refuses never holds any of them, so it neither blocks the other process
    /// nor lingers.
    @Test func parallelPaidCallsOfTwoProcessesWithCeilingsPassNeitherCeilingNorLimitAndLeaveNoHold() async throws {
        let standIn = ChargingStandIn()
        let upstream = try LoopbackServer(handler: standIn.handler)
        var environment = Self.environment(upstream, stateDirectory: try ServerProcess.freshStateDirectory())
        // Two ¥0.80 calls fit under each process's ceiling; the ¥5 limit alone would take six.
        environment["SOCIAL_DATA_MCP_MAX_SPEND_CNY"] = "1.6"
        var servers: [ServerProcess] = []
        for index in 0..<2 {
            let server = try ServerProcess(environment: environment, name: "ceiling-\(index)")
            try await server.initialize()
            servers.append(server)
        }
        let costs = try await withThrowingTaskGroup(of: (Int, Double?).self) { group in
            for (index, server) in servers.enumerated() {
                for call in 0..<10 {
                    group.addTask {
                        let result = try await server.callTool(
                            "datanexus_list_works",
                            ["platform": "douyin", "keyword": .string("c\(index)-\(call)"), "page_size": 10]
                        )
                        return (
                            index,
                            result.isToolError ? nil : result["structuredContent"]?["billing"]?["cost"]?.doubleValue
                        )
                    }
                }
            }
            return try await group.reduce(into: [(Int, Double?)]()) { $0.append($1) }
        }
        for index in 0..<2 {
            let paid = costs.filter { $0.0 == index }.compactMap(\.1)
            #expect(Money.yuan(paid.reduce(0, +)) <= .yuan(1.6), "process \(index) passed its ceiling: \(paid)")
            #expect(paid.count == 2, "two calls fit under each ceiling, and the ¥5 limit takes both processes' four")
        }
        let paid = costs.compactMap(\.1)
        #expect(standIn.chargedYuan == Money.yuan(paid.reduce(0, +)), "every call the provider charged was paid")
        #expect(standIn.chargedYuan == .yuan(3.2))

        // Refused calls left nothing held: the ledger counts exactly what was charged.
        let json = try JSONParser.parse(try await Self.usage(environment).stdout)
        #expect(json["limits"]?["daily_cny"]?["spent"] == .double(standIn.chargedYuan.amount))
        #expect(json["limits"]?["daily_cny"]?["held_in_flight"] == 0.0)
        #expect(json["unsettled"]?.arrayValue?.isEmpty == true)
        #expect(json["days"]?.arrayValue?.last?["calls"] == .int(paid.count))
        for server in servers { await server.stop() }
    }

    /// The server ends with `exit`, which runs no `deinit`: the checkpoint is saved all the
    /// same, up to the last event, so the next process's first paid call reads no tail.
    @Test func aServerThatExitsLeavesACheckpointOfEverythingItWrote() async throws {
        let standIn = ChargingStandIn()
        let upstream = try LoopbackServer(handler: standIn.handler)
        let state = try ServerProcess.freshStateDirectory()
        let environment = Self.environment(upstream, stateDirectory: state)
        let server = try ServerProcess(environment: environment)
        try await server.initialize()
        let result = try await server.callTool("datanexus_list_works", ["platform": "douyin", "page_size": 2])
        #expect(!result.isToolError, "\(result.textView)")
        await server.stop()

        let folder = state + "/ledger"
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        let month = try #require(names.first { $0.hasSuffix(".jsonl") })
        let checkpoint = try #require(names.first { $0.hasSuffix(".checkpoint") }, "\(names)")
        let document = try JSONParser.parse(try String(contentsOfFile: folder + "/" + checkpoint, encoding: .utf8))
        let mark = document["files"]?.arrayValue?.first { $0["name"]?.stringValue == month }
        let size = try FileManager.default.attributesOfItem(atPath: folder + "/" + month)[.size] as? Int
        #expect(mark?["offset"]?.intValue == size, "the checkpoint covers the hold and the settle")
    }

    @Test func killDashNineRightAfterAResultLeavesItsSpendInTheLedger() async throws {
        let standIn = ChargingStandIn()
        let upstream = try LoopbackServer(handler: standIn.handler)
        let environment = Self.environment(upstream, stateDirectory: try ServerProcess.freshStateDirectory())
        let server = try ServerProcess(environment: environment)
        try await server.initialize()
        let result = try await server.callTool(
            "datanexus_list_works",
            ["platform": "xiaohongshu", "keyword": "美妆", "page_size": 5]
        )
        #expect(result["structuredContent"]?["billing"]?["cost"] == 0.4)
        kill(server.process.processIdentifier, SIGKILL)
        _ = await server.waitForExit()

        let json = try JSONParser.parse(try await Self.usage(environment).stdout)
        #expect(json["days"]?.arrayValue?.last?["spent_cny"] == 0.4)
        #expect(json["by_tool"]?["datanexus_list_works"]?["items"] == 5)
        #expect(json["unsettled"]?.arrayValue?.isEmpty == true)
        await server.stop()
    }

    @Test func killDashNineDuringACallLeavesAnUnsettledHoldCountedAtItsWorstCase() async throws {
        let standIn = ChargingStandIn(delay: 30)
        let upstream = try LoopbackServer(handler: standIn.handler)
        let environment = Self.environment(upstream, stateDirectory: try ServerProcess.freshStateDirectory())
        let server = try ServerProcess(environment: environment)
        try await server.initialize()
        server.send([
            "jsonrpc": "2.0", "id": 99, "method": "tools/call",
            "params": ["name": "datanexus_list_works", "arguments": ["platform": "douyin", "page_size": 50]],
        ])
        // The request reached the provider: the hold was written before it was sent.
        for await _ in standIn.arrivals { break }
        kill(server.process.processIdentifier, SIGKILL)
        _ = await server.waitForExit()

        let json = try JSONParser.parse(try await Self.usage(environment).stdout)
        let unsettled = json["unsettled"]?.arrayValue ?? []
        #expect(unsettled.count == 1)
        #expect(unsettled.first?["worst_case"] == 4.0)
        #expect(json["limits"]?["daily_cny"]?["spent"] == 4.0, "counted at the worst case")
        let table = try await Self.usage(environment, [])
        #expect(table.stdout.contains("1 unsettled hold(s)"), "\(table.stdout)")

        // A new process sees it in every result until the user clears it.
        let next = try ServerProcess(environment: environment)
        try await next.initialize()
        let usage = try await next.callTool("social_data_usage")
        #expect(usage.textView.contains("¥4.00 spent of the ¥5.00 limit"), "\(usage.textView)")
        #expect(usage.structuredView.contains("\"unsettled_holds\""))
        let cleared = try await Self.usage(environment, ["--clear-unsettled"])
        #expect(cleared.stdout.contains("Cleared 1 unsettled hold"))
        let after = try JSONParser.parse(try await Self.usage(environment).stdout)
        #expect(after["unsettled"]?.arrayValue?.isEmpty == true)
        #expect(after["limits"]?["daily_cny"]?["spent"] == 0.0)
        await server.stop()
        await next.stop()
    }

    @Test func aTornLastLineIsSkippedReportedAndSealed() async throws {
        let standIn = ChargingStandIn()
        let upstream = try LoopbackServer(handler: standIn.handler)
        let state = try ServerProcess.freshStateDirectory()
        let environment = Self.environment(upstream, stateDirectory: state)
        let month = DateFormatter()
        month.dateFormat = "yyyy-MM"
        month.locale = Locale(identifier: "en_US_POSIX")
        try FileManager.default.createDirectory(atPath: state + "/ledger", withIntermediateDirectories: true)
        let file = state + "/ledger/\(month.string(from: Date())).jsonl"
        try Data(#"{"e":"settle","id":"1-1-1","t":1,"pid":1,"cur":"cny","units":8"#.utf8).write(
            to: URL(fileURLWithPath: file)
        )

        let server = try ServerProcess(environment: environment)
        try await server.initialize()
        let result = try await server.callTool("datanexus_list_works", ["platform": "douyin", "page_size": 2])
        #expect(!result.isToolError, "\(result.textView)")
        await server.stop()

        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3, "the torn line, sealed, then the hold and the settle")
        #expect(lines.dropFirst().allSatisfy { (try? JSONParser.parse(String($0))) != nil })
        let doctor = try await withTemporaryDirectory { directory in
            try await CommandRun.run(["doctor"], environment: environment, directory: directory)
        }
        #expect(doctor.stdout.contains("1 unreadable line(s)"), "\(doctor.stdout)")
    }

    @Test func usageReportsAsJSONAndAsCSVForASpreadsheet() async throws {
        let standIn = ChargingStandIn()
        let upstream = try LoopbackServer(handler: standIn.handler)
        let environment = Self.environment(upstream, stateDirectory: try ServerProcess.freshStateDirectory())
        let server = try ServerProcess(environment: environment)
        try await server.initialize()
        for size in [3, 4] {
            _ = try await server.callTool("datanexus_list_works", ["platform": "douyin", "page_size": .int(size)])
        }
        _ = try await server.callTool("datanexus_list_authors", ["platform": "kuaishou", "page_size": 1])
        await server.stop()

        let json = try JSONParser.parse(try await Self.usage(environment, ["--format", "json", "--days", "3"]).stdout)
        #expect(json["days"]?.arrayValue?.count == 3)
        #expect(json["by_provider"]?["datanexus"]?["calls"] == 3)
        #expect(json["by_provider"]?["datanexus"]?["spent_cny"] == 0.64)
        #expect(json["by_tool"]?["datanexus_list_works"]?["items"] == 7)
        #expect(json["limits"]?["daily_cny"]?["remaining"] == 4.36)

        let csv = try await Self.usage(environment, ["--format", "csv"]).stdout
        let rows = csv.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(
            rows.first?.joined(separator: ",")
                == "date,provider,tool,calls,items,cache_hits,failed,unsettled_holds,spent_cny,spent_credits"
        )
        let works = rows.first { $0.count > 2 && $0[2] == "datanexus_list_works" }
        #expect(works?[3] == "2" && works?[4] == "7" && works?[8] == "0.56", "\(csv)")
        #expect(rows.dropFirst().allSatisfy { $0.count == 10 })

        let table = try await Self.usage(environment, []).stdout
        #expect(table.contains("datanexus_list_works"))
        #expect(table.contains("█"), "a bar for the day with spend")
    }
}
