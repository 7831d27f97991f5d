import Foundation
import Locking
import SocialDataMCP
import Testing

/// A transport that answers from a script, for client tests without a network.
final class ScriptedTransport: HTTPTransport {
    private let script: Locked<[Result<HTTPResponse, TransportError>]>
    private let count = Locked(0)

    init(_ script: [Result<HTTPResponse, TransportError>]) {
        self.script = Locked(script)
    }

    var requestCount: Int { count.withLock { $0 } }

    func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
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

    private func send(
        _ transport: ScriptedTransport,
        retryable: Bool
    ) async throws(UpstreamError) -> (HTTPResponse, Int) {
        let client = UpstreamClient(transport: transport, providers: [Self.provider])
        let (response, attempts) = try await client.send(
            Self.request,
            provider: Self.provider,
            retryable: retryable,
            deadline: .now + .seconds(10),
            budgetSeconds: 10,
            log: .silent
        )
        return (response, attempts)
    }

    private static func status(_ code: Int, retryAfter: String? = nil) -> Result<HTTPResponse, TransportError> {
        .success(HTTPResponse(status: code, headers: retryAfter.map { ["Retry-After": $0] } ?? [:], body: []))
    }

    @Test func readsAreRetriedOnRetryableStatuses() async throws {
        let transport = ScriptedTransport([Self.status(503), Self.status(429, retryAfter: "0"), Self.status(200)])
        let (response, attempts) = try await send(transport, retryable: true)
        #expect(response.status == 200)
        #expect(attempts == 3)
    }

    @Test func attemptsStopAtThree() async throws {
        let transport = ScriptedTransport([Self.status(502), Self.status(502), Self.status(502), Self.status(200)])
        let (response, attempts) = try await send(transport, retryable: true)
        #expect(response.status == 502)
        #expect(attempts == 3)
    }

    @Test func writesAreNotRetriedOnceTheyMayHaveArrived() async throws {
        let transport = ScriptedTransport([Self.status(503), Self.status(200)])
        let (response, _) = try await send(transport, retryable: false)
        #expect(response.status == 503)
        #expect(transport.requestCount == 1)
        let dropped = ScriptedTransport([.failure(.connectionLost("reset")), Self.status(200)])
        await #expect(throws: UpstreamError.self) { _ = try await send(dropped, retryable: false) }
        #expect(dropped.requestCount == 1)
    }

    @Test func aRefusedConnectionIsRetriedEvenForWritesBecauseNothingWasSent() async throws {
        let transport = ScriptedTransport([.failure(.cannotConnect("refused")), Self.status(200)])
        let (response, _) = try await send(transport, retryable: false)
        #expect(response.status == 200)
        #expect(transport.requestCount == 2)
    }

    @Test func timeoutsAreNotRetried() async throws {
        let transport = ScriptedTransport([.failure(.timedOut), Self.status(200)])
        do {
            _ = try await send(transport, retryable: true)
            Issue.record("a timeout was retried")
        } catch {
            #expect(error.kind == .timedOut(seconds: 10))
        }
        #expect(transport.requestCount == 1)
    }

    @Test func pacerSpacesEachStartFromThePreviousFinishOneAtATime() async throws {
        let pacer = RequestPacer(spacing: .milliseconds(200))
        #expect(try await pacer.acquire(before: .now + .seconds(5)))
        // While the first is in flight, a second cannot start, however long it waits.
        #expect(try await !pacer.acquire(before: .now + .milliseconds(300)))
        pacer.finish()
        let finished = ContinuousClock.now
        #expect(try await pacer.acquire(before: .now + .seconds(5)))
        #expect(ContinuousClock.now - finished >= .milliseconds(200))
        pacer.finish()
        #expect(try await !pacer.acquire(before: .now), "a turn past the deadline is refused at once")
    }

    @Test func concurrencyLimitQueuesBeyondItsPermits() async throws {
        final class Peak: Sendable {
            let state = Locked((current: 0, highest: 0))
        }
        let limit = ConcurrencyLimit(2)
        let peak = Peak()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    try await limit.withPermit {
                        peak.state.withLock { counts in
                            counts.current += 1
                            counts.highest = max(counts.highest, counts.current)
                        }
                        try await Task.sleep(for: .milliseconds(20))
                        peak.state.withLock { $0.current -= 1 }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(peak.state.withLock { $0.highest } == 2)
    }
}
