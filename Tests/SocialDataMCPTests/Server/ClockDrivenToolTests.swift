import Foundation
import Locking
import Providers
import SocialDataMCPTesting
import Spend
import Testing
import ToolCall
import Upstream
import Wire

/// A transport that answers every request with a closure and records what it was sent.
final class StubTransport: HTTPTransport {
    private let answer: @Sendable (HTTPRequest) -> HTTPResponse
    private let sent = Locked<[HTTPRequest]>([])

    init(_ answer: @escaping @Sendable (HTTPRequest) -> HTTPResponse) {
        self.answer = answer
    }

    var requests: [HTTPRequest] { sent.withLock { $0 } }

    func send(_ request: HTTPRequest, timeout: Duration) async throws(TransportError) -> HTTPResponse {
        sent.withLock { $0.append(request) }
        return answer(request)
    }

    static func json(_ body: JSONValue, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: body.jsonBytes)
    }
}

/// Tool calls whose behaviour depends on time, run in memory on a manual clock: the
/// cache's TTL and CreatiVault's task polling, with no sleeping.
@Suite struct ClockDrivenToolTests {
    static let keys = [
        "DATANEXUS_API_KEY": "dn_live_unit", "GEO_API_KEY": "0123456789abcdef0123456789abcdef",
        "CREATIVAULT_API_KEY": "cv_unit", "CREATIVAULT_USER_IDENTITY": "me@example.com",
        "CREATIVAULT_BASE_URL": "http://127.0.0.1:9/openapi/v1",
    ]

    private func makeRunner(
        _ environment: [String: String] = [:],
        clock: ManualClock,
        transport: StubTransport
    ) throws -> ToolRunner {
        let configuration = try Configuration(
            environment: Environment(
                Self.keys.merging(environment) { _, new in new }
                    .merging(["SOCIAL_DATA_MCP_STATE_DIR": ScratchStateDirectory.make()]) { old, _ in old }
            )
        )
        return ToolRunner(services: try ToolServices(configuration: configuration, transport: transport, clock: clock))
    }

    private func call(
        _ runner: ToolRunner,
        _ name: String,
        _ arguments: JSONValue = [:],
        context: CallContext = CallContext()
    ) async throws -> ToolResult {
        try await runner.call(name: name, arguments: arguments, context: context).get()
    }

    @Test func theTTLFollowsTheClockAndDailyDataIsKeptAnHour() async throws {
        let clock = ManualClock()
        let transport = StubTransport { request in
            request.url.path.contains("/brands")
                ? StubTransport.json(["data": [["id": "b1", "name": "品牌"]]])
                : StubTransport.json(["success": true, "data": ["id": "1", "nickname": "博主"]])
        }
        let runner = try makeRunner(["SOCIAL_DATA_MCP_CACHE_TTL": "60"], clock: clock, transport: transport)
        let author: JSONValue = ["platform": "douyin", "id": "1"]
        func upstreamRequests(_ fragment: String) -> Int {
            transport.requests.filter { $0.url.path.contains(fragment) }.count
        }
        _ = try await call(runner, "datanexus_get_author", author)
        _ = try await call(runner, "geo_list_brands")
        clock.advance(by: .seconds(59))
        let cached = try await call(runner, "datanexus_get_author", author)
        #expect(cached.structured["billing"]?["cached"] == true)
        #expect(upstreamRequests("/authors/") == 1, "59 s is within the 60 s TTL")
        clock.advance(by: .seconds(2))
        _ = try await call(runner, "datanexus_get_author", author)
        let geo = try await call(runner, "geo_list_brands")
        #expect(upstreamRequests("/authors/") == 2, "the 60 s TTL expired")
        #expect(geo.structured["billing"]?["cached"] == true, "GEO's daily data is kept an hour at least")
        clock.advance(by: .seconds(3_600))
        _ = try await call(runner, "geo_list_brands")
        #expect(upstreamRequests("/brands") == 2, "and not longer")
    }

    /// The stand-in's task: running for `pollsToComplete - 1` polls, then completed; every
    /// poll reports `creditsPerPoll` credits.
    private func taskTransport(pollsToComplete: Int, creditsPerPoll: Int) -> StubTransport {
        let polls = Locked(0)
        return StubTransport { _ in
            let poll = polls.withLock { count in
                count += 1
                return count
            }
            let status = poll >= pollsToComplete ? "completed" : "running"
            return StubTransport.json([
                "success": true,
                "data": [
                    "task_id": "t1", "status": .string(status), "total": 10, "completed": .int(min(poll * 3, 10)),
                    "failed": 0,
                ],
                "meta": ["request_id": .string("r\(poll)"), "credits_consumed": .int(creditsPerPoll)],
            ])
        }
    }

    @Test func waitingOnATaskPollsAtGrowingIntervalsAndAddsUpEveryPollsCredits() async throws {
        let clock = ManualClock()
        let transport = taskTransport(pollsToComplete: 5, creditsPerPoll: 2)
        let runner = try makeRunner(clock: clock, transport: transport)
        let started = clock.now
        let call = Task {
            try await self.call(runner, "creativault_get_task_status", ["task_id": "t1", "wait_seconds": 50])
        }
        var waits: [Duration] = []
        for _ in 0..<4 {
            await clock.sleepers(atLeast: 1)
            let before = clock.now
            clock.advanceToNextDeadline()
            waits.append(clock.now - before)
        }
        let result = try await call.value
        #expect(waits == [.seconds(1), .seconds(2), .seconds(4), .seconds(8)])
        #expect(clock.now - started == .seconds(15))
        #expect(transport.requests.count == 5)
        #expect(result.structured["data"]?["status"] == "completed")
        // Five polls at 2 credits each: the result and the ledger see all of them, not the last.
        #expect(result.structured["billing"]?["cost"] == 10.0)
        #expect(result.structured["billing"]?["session_spent_credits"] == 10.0)
        #expect(result.text.contains("Cost: 10 credits"), "\(result.text)")
        #expect(result.text.contains("Polled the status 5 times over 15 s (10 credits in all)"), "\(result.text)")
    }

    @Test func theLastPollLandsWhenTheWaitEnds() async throws {
        let clock = ManualClock()
        let transport = taskTransport(pollsToComplete: 100, creditsPerPoll: 1)
        let runner = try makeRunner(clock: clock, transport: transport)
        let started = clock.now
        let call = Task {
            try await self.call(runner, "creativault_get_task_status", ["task_id": "t1", "wait_seconds": 5])
        }
        let result = try await clock.run { try await call.value }
        // Polls at 0, 1, 3 and 5 s: the wait after the third is cut to the 2 s left.
        #expect(transport.requests.count == 4)
        #expect(clock.now - started == .seconds(5))
        #expect(result.text.contains("Still running after waiting 5 s"), "\(result.text)")
    }

    @Test func cancellingAWaitStopsPollingAtOnce() async throws {
        let clock = ManualClock()
        let transport = taskTransport(pollsToComplete: 100, creditsPerPoll: 1)
        let runner = try makeRunner(clock: clock, transport: transport)
        let call = Task {
            try await self.call(runner, "creativault_get_task_status", ["task_id": "t1", "wait_seconds": 50])
        }
        await clock.sleepers(atLeast: 1)
        clock.advanceToNextDeadline()
        await clock.sleepers(atLeast: 1)
        call.cancel()
        _ = try? await call.value
        #expect(transport.requests.count == 2, "no poll after the cancellation")
        #expect(clock.sleeperCount == 0)
    }
}
