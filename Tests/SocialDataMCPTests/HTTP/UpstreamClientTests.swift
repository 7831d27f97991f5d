import Catalog
import Foundation
import Locking
import Providers
import SocialDataMCPTesting
import Testing
import Upstream

/// A transport that answers from a script, for client tests without a network.
final class ScriptedTransport: HTTPTransport {
    private let script: Locked<[Result<HTTPResponse, TransportError>]>
    private let count = Locked(0)

    init(_ script: [Result<HTTPResponse, TransportError>]) {
        self.script = Locked(script)
    }

    var requestCount: Int { count.withLock { $0 } }

    func send(_ request: HTTPRequest, timeout: Duration) async throws(TransportError) -> HTTPResponse {
        count.withLock { $0 += 1 }
        let next = script.withLock {
            $0.isEmpty ? .success(HTTPResponse(status: 200, headers: [:], body: Array("{}".utf8))) : $0.removeFirst()
        }
        return try next.get()
    }
}

@Suite struct UpstreamClientTests {
    static let provider = DataNexus.provider
    static let request = HTTPRequest(method: .get, url: URL(fileURLWithPath: "/"), headers: [:], body: nil)

    /// Sends through a client on a manual clock that jumps to each backoff's end at once.
    private func send(
        _ transport: ScriptedTransport,
        rule: RetryRule
    ) async throws(UpstreamError) -> (HTTPResponse, Int) {
        let clock = ManualClock()
        let client = UpstreamClient(transport: transport, providers: [Self.provider], clock: clock)
        let deadline = clock.now + .seconds(10)
        let outcome: Result<(HTTPResponse, Int), UpstreamError>? = try? await clock.run {
            do throws(UpstreamError) {
                let (response, attempts) = try await client.send(
                    Self.request,
                    provider: Self.provider,
                    rule: rule,
                    deadline: deadline,
                    budgetSeconds: 10,
                    log: .silent
                )
                return .success((response, attempts))
            } catch {
                return .failure(error)
            }
        }
        guard let outcome else { throw UpstreamError(.cancelled, provider: "test") }
        return try outcome.get()
    }

    private static func status(_ code: Int, retryAfter: String? = nil) -> Result<HTTPResponse, TransportError> {
        .success(HTTPResponse(status: code, headers: retryAfter.map { ["Retry-After": $0] } ?? [:], body: []))
    }

    @Test func readsAreRetriedOnRetryableStatuses() async throws {
        let transport = ScriptedTransport([Self.status(503), Self.status(429, retryAfter: "0"), Self.status(200)])
        let (response, attempts) = try await send(transport, rule: .read)
        #expect(response.status == 200)
        #expect(attempts == 3)
    }

    @Test func attemptsStopAtThree() async throws {
        let transport = ScriptedTransport([Self.status(502), Self.status(502), Self.status(502), Self.status(200)])
        let (response, attempts) = try await send(transport, rule: .read)
        #expect(response.status == 502)
        #expect(attempts == 3)
    }

    @Test(arguments: [502, 504])
    func aPaidReadIsNotRetriedAfterAGatewayError(_ status: Int) async throws {
        let transport = ScriptedTransport([Self.status(status), Self.status(200)])
        let (response, attempts) = try await send(transport, rule: .paidRead)
        #expect(response.status == status)
        #expect(attempts == 1 && transport.requestCount == 1)
    }

    @Test(arguments: [429, 503])
    func aPaidReadIsRetriedWhenTheProviderCertainlyDidNoWork(_ status: Int) async throws {
        let transport = ScriptedTransport([Self.status(status), Self.status(200)])
        let (response, attempts) = try await send(transport, rule: .paidRead)
        #expect(response.status == 200)
        #expect(attempts == 2)
    }

    @Test(arguments: [TransportError.connectionLost("reset"), .timedOut, .failed("tls")])
    func aPaidReadThatMayHaveArrivedIsNotRetriedAndSaysItMayHaveBeenCharged(_ failure: TransportError) async {
        let transport = ScriptedTransport([.failure(failure), Self.status(200)])
        do {
            _ = try await send(transport, rule: .paidRead)
            Issue.record("\(failure) was retried")
        } catch {
            #expect(error.possibleCharge == .read)
            #expect(error.message.contains("may have been charged"))
            #expect(error.message.contains("social-data-mcp usage"))
            #expect(error.json["may_have_been_charged"] == true)
        }
        #expect(transport.requestCount == 1)
    }

    @Test func aFreeReadIsRetriedAfterADroppedConnectionAndNeverMentionsACharge() async throws {
        let transport = ScriptedTransport([.failure(.connectionLost("reset")), Self.status(200)])
        let (response, attempts) = try await send(transport, rule: .read)
        #expect(response.status == 200 && attempts == 2)
        let timedOut = ScriptedTransport([.failure(.timedOut)])
        do {
            _ = try await send(timedOut, rule: .read)
            Issue.record("a timeout was retried")
        } catch {
            #expect(error.possibleCharge == nil)
            #expect(!error.message.contains("charged"))
        }
    }

    @Test func workIsNotRetriedOnceItMayHaveArrived() async throws {
        let transport = ScriptedTransport([Self.status(503), Self.status(200)])
        let (response, _) = try await send(transport, rule: .createsWork)
        #expect(response.status == 503)
        #expect(transport.requestCount == 1)
        let dropped = ScriptedTransport([.failure(.connectionLost("reset")), Self.status(200)])
        await #expect(throws: UpstreamError.self) { _ = try await send(dropped, rule: .createsWork) }
        #expect(dropped.requestCount == 1)
    }

    @Test func aTimedOutImageSaysItMayHaveBeenMadeAndChargedWithoutInvitingARetry() async {
        let transport = ScriptedTransport([.failure(.timedOut)])
        do {
            _ = try await send(transport, rule: .createsWork)
            Issue.record("no error")
        } catch {
            #expect(error.kind == .timedOut(seconds: 10))
            #expect(error.possibleCharge == .createdWork)
            #expect(error.message.contains("generated the image"))
            #expect(error.message.contains("social-data-mcp usage"))
            #expect(!error.message.lowercased().contains("try again"))
        }
    }

    @Test(arguments: RetryRule.allCases)
    func aRefusedConnectionIsRetriedWhateverTheRuleBecauseNothingWasSent(_ rule: RetryRule) async throws {
        let transport = ScriptedTransport([.failure(.cannotConnect("refused")), Self.status(200)])
        let (response, _) = try await send(transport, rule: rule)
        #expect(response.status == 200)
        #expect(transport.requestCount == 2)
    }

    @Test func aCancelledTransportIsReportedAsCancelledAndAForeignFailureIsNot() async {
        for (failure, expected) in [
            (TransportError.cancelled, UpstreamError.Kind.cancelled), (.failed("odd"), .connectionFailed("odd")),
        ] {
            do {
                _ = try await send(ScriptedTransport([.failure(failure)]), rule: .createsWork)
                Issue.record("no error")
            } catch {
                #expect(error.kind == expected)
            }
        }
    }

    @Test func retriesWaitTheBackoffOnTheClockAndHonourRetryAfter() async throws {
        let clock = ManualClock()
        let transport = ScriptedTransport([Self.status(503), Self.status(429, retryAfter: "5"), Self.status(200)])
        let client = UpstreamClient(transport: transport, providers: [Self.provider], clock: clock)
        let deadline = clock.now + .seconds(30)
        let call = Task {
            try await client.send(
                Self.request,
                provider: Self.provider,
                rule: .read,
                deadline: deadline,
                budgetSeconds: 30,
                log: .silent
            )
        }
        await clock.sleepers(atLeast: 1)
        let backoff = try #require(clock.nextDeadline) - clock.now
        #expect(backoff >= .milliseconds(200) && backoff <= .milliseconds(400), "the first backoff: \(backoff)")
        #expect(transport.requestCount == 1, "nothing is sent while the backoff lasts")
        clock.advanceToNextDeadline()
        await clock.sleepers(atLeast: 1)
        let retryAfter = try #require(clock.nextDeadline) - clock.now
        #expect(retryAfter >= .seconds(5) && retryAfter <= .seconds(5) + .milliseconds(100))
        #expect(transport.requestCount == 2)
        clock.advanceToNextDeadline()
        let (response, attempts) = try await call.value
        #expect(response.status == 200 && attempts == 3)
    }

    @Test func pacerSpacesEachStartFromThePreviousFinishOneAtATime() async throws {
        let clock = ManualClock()
        let pacer = RequestPacer(spacing: .milliseconds(200), clock: clock)
        #expect(try await pacer.acquire(before: clock.now + .seconds(5)))
        // While the first is in flight, a second cannot start, however long it waits.
        let blocked = Task { try await pacer.acquire(before: clock.now + .milliseconds(300)) }
        #expect(try await clock.run { try await blocked.value } == false)
        pacer.finish()
        let finished = clock.now
        let next = Task { try await pacer.acquire(before: clock.now + .seconds(5)) }
        await clock.sleepers(atLeast: 1)
        #expect(try #require(clock.nextDeadline) - finished == .milliseconds(200))
        clock.advanceToNextDeadline()
        #expect(try await next.value)
        pacer.finish()
        #expect(try await !pacer.acquire(before: clock.now), "a turn past the deadline is refused at once")
    }

    @Test func parallelRequestsToAPacedProviderArriveTheSpacingApartOnTheClock() async throws {
        let clock = ManualClock()
        let arrivals = Locked<[ContinuousClock.Instant]>([])
        let transport = StubTransport { _ in
            arrivals.withLock { $0.append(clock.now) }
            return StubTransport.json(["data": []])
        }
        let geo = GEO.provider
        let spacing = try #require(geo.requestSpacing)
        let client = UpstreamClient(transport: transport, providers: [geo], clock: clock)
        let deadline = clock.now + .seconds(30)
        try await clock.run {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        _ = try await client.send(
                            Self.request,
                            provider: geo,
                            rule: .read,
                            deadline: deadline,
                            budgetSeconds: 30,
                            log: .silent
                        )
                    }
                }
                try await group.waitForAll()
            }
        }
        let times = arrivals.withLock { $0 }.sorted()
        #expect(times.count == 4, "each request was sent once")
        for (earlier, later) in zip(times, times.dropFirst()) {
            #expect(later - earlier >= spacing, "two GEO requests \(later - earlier) apart")
        }
    }

    @Test func concurrencyLimitQueuesBeyondItsPermitsInOrder() async throws {
        let limit = ConcurrencyLimit(2)
        try await limit.acquire()
        try await limit.acquire()
        let order = Locked<[Int]>([])
        let third = Task {
            try await limit.acquire()
            order.withLock { $0.append(3) }
        }
        let cancelled = Task { try await limit.acquire() }
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        #expect(order.withLock { $0 }.isEmpty, "a third holder waits while two hold permits")
        limit.release()
        try await third.value
        #expect(order.withLock { $0 } == [3])
        // The cancelled waiter took nothing: one permit is still free after two releases.
        limit.release()
        try await limit.acquire()
        limit.release()
        limit.release()
    }
}
