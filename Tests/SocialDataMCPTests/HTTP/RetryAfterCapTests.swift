import Catalog
import Foundation
import Locking
import Providers
import SocialDataMCPTesting
import Testing
import Upstream

/// A provider's `Retry-After` is honoured up to 60 s, however long it asks for.
@Suite struct RetryAfterCapTests {
    static let provider = GEO.provider
    static let request = HTTPRequest(method: .get, url: URL(fileURLWithPath: "/"), headers: [:], body: nil)

    /// Sends once through `client` on `clock`, with a 30 s deadline.
    private func send(_ client: UpstreamClient, clock: ManualClock) async -> Result<HTTPResponse, UpstreamError>? {
        let deadline = clock.now + .seconds(30)
        return try? await clock.run {
            do throws(UpstreamError) {
                let (response, _) = try await client.send(
                    Self.request,
                    provider: Self.provider,
                    rule: .read,
                    deadline: deadline,
                    budgetSeconds: 30,
                    log: .silent
                )
                return .success(response)
            } catch {
                return .failure(error)
            }
        }
    }

    @Test func anAbsurdRetryAfterHoldsLaterCallsForTheCapAndNoLonger() async throws {
        let transport = ScriptedTransport([
            .success(HTTPResponse(status: 429, headers: ["Retry-After": "999999999999"], body: []))
        ])
        let clock = ManualClock()
        let client = UpstreamClient(transport: transport, providers: [Self.provider], clock: clock)

        let first = await send(client, clock: clock)
        guard case .success(let response)? = first else {
            Issue.record("the 429 should come back as the answer: \(String(describing: first))")
            return
        }
        #expect(response.status == 429)
        #expect(transport.requestCount == 1, "not retried: the wait is past the deadline")

        // Within the cap: refused at once, saying why, with the wait left (not the provider's).
        clock.advance(by: .seconds(10))
        let held = await send(client, clock: clock)
        guard case .failure(let error)? = held else {
            Issue.record("a call within the hold should be refused: \(String(describing: held))")
            return
        }
        #expect(error.kind == .rateLimited(retryAfterSeconds: 50))
        #expect(error.message.contains("Retry-After"))
        #expect(!error.message.contains("no answer within"))
        #expect(transport.requestCount == 1, "nothing sent while held")

        // Past the cap: sent again.
        clock.advance(by: .seconds(51))
        let later = await send(client, clock: clock)
        guard case .success(let answer)? = later else {
            Issue.record("a call after the cap should be sent: \(String(describing: later))")
            return
        }
        #expect(answer.status == 200)
        #expect(transport.requestCount == 2)
    }

    @Test func theProvidersNumberIsReportedWithTheCap() {
        let error = UpstreamError(.rateLimited(retryAfterSeconds: 999_999_999_999), provider: "GEO", status: 429)
        #expect(error.message.contains("999999999999 s"))
        #expect(error.message.contains("at most 60 s"))
        let short = UpstreamError(.rateLimited(retryAfterSeconds: 5), provider: "GEO", status: 429)
        #expect(!short.message.contains("at most 60 s"))
    }
}
