import Dispatch
import Foundation
import Locking
import LoopbackStandIn
import Testing
import Wire

/// Clients cancel (Esc, a client timeout): a paid request that reached the provider is
/// never forgotten, one that did not is never paid, and identical calls still pay once.
@Suite("cancellation and the user's money", .serialized)
struct CancellationEndToEndTests {
    /// A provider that tells the test when a request arrives and answers only when told.
    final class HeldProvider: Sendable {
        let arrivals: AsyncStream<String>
        private let arrived: AsyncStream<String>.Continuation
        private let gate = DispatchSemaphore(value: 0)
        let charged = Locked(0)

        init() {
            (arrivals, arrived) = AsyncStream.makeStream(of: String.self)
        }

        var upstream: Upstream {
            .answering { request in
                // The price list the server reads before its first paid call is not held.
                if request.isPriceListRead { return DocumentedResponses.respond(request) }
                self.arrived.yield(request.path)
                // A safety bound only: a loaded machine can keep the test waiting for seconds.
                _ = self.gate.wait(timeout: .now() + 120)
                if request.path.contains("/authors/") { self.charged.withLock { $0 += 1 } }
                return DocumentedResponses.respond(request)
            }
        }

        func release() { gate.signal() }
    }

    @Test func cancelledCallsNeverPassTheDailyLimitAndUsageShowsTheirSpend() async throws {
        let provider = HeldProvider()
        try await withHarness(
            environment: ["SOCIAL_DATA_MCP_DAILY_LIMIT_CNY": "0.40"],
            upstream: provider.upstream
        ) { harness in
            var arrivals = provider.arrivals.makeAsyncIterator()
            for index in 0..<8 {
                let id = harness.server.nextID()
                harness.server.send(Self.getAuthor(id: id, author: "a\(index)"))
                guard index < 5 else {
                    // ¥0.40 holds five ¥0.08 calls; the cancelled ones still count.
                    let answer = try await harness.server.response(to: .int(id))
                    #expect(answer["result"]?["isError"] == true)
                    #expect(answer["result"]?.resultText.contains("daily limit") == true)
                    continue
                }
                _ = await arrivals.next()
                harness.server.send(Self.cancel(id))
                _ = try await harness.server.request("ping")
                provider.release()
            }
            #expect(provider.charged.withLock { $0 } == 5)
            // Every request that reached the provider is in the ledger, and the limit held.
            let usage = try await harness.server.callTool("social_data_usage")
            let today = usage["structuredContent"]?["data"]?["all_processes"]?["today_cny"]
            #expect(today?["spent"] == 0.4)
            #expect(today?["remaining"] == 0.0)
        }
    }

    @Test func aCancellationBeforeTheRequestLeavesCostsNothing() async throws {
        let provider = HeldProvider()
        try await withHarness(
            environment: ["SOCIAL_DATA_MCP_DAILY_LIMIT_CNY": "1"],
            upstream: provider.upstream
        ) { harness in
            var arrivals = provider.arrivals.makeAsyncIterator()
            // Eight requests fill DataNexus's connections; the ninth waits for one, and is
            // cancelled while it waits.
            for index in 0..<8 {
                harness.server.send(Self.getAuthor(id: harness.server.nextID(), author: "held\(index)"))
                _ = await arrivals.next()
            }
            let waiting = harness.server.nextID()
            harness.server.send(Self.getAuthor(id: waiting, author: "waiting"))
            _ = try await harness.server.request("ping")
            harness.server.send(Self.cancel(waiting))
            _ = try await harness.server.request("ping")
            for _ in 0..<8 { provider.release() }
            // The held eight are settled; the ninth was never sent and holds nothing (its hold
            // may still be waiting for the disk when the cancellation comes, and goes after).
            var spent: JSONValue?
            var held: JSONValue?
            for _ in 0..<500 {
                let usage = try await harness.server.callTool("social_data_usage")
                spent = usage["structuredContent"]?["data"]?["all_processes"]?["today_cny"]?["spent"]
                held = usage["structuredContent"]?["data"]?["all_processes"]?["today_cny"]?["held_in_flight"]
                if spent == 0.64, held == 0.0 { break }
            }
            #expect(spent == 0.64)
            #expect(held == 0.0)
            #expect(provider.charged.withLock { $0 } == 8)
        }
    }

    @Test func aCancelledLeaderOfIdenticalFreeReadsHandsItsReadToTheOthers() async throws {
        let arrivals = Locked(0)
        let (arrived, arrival) = AsyncStream.makeStream(of: Void.self)
        let gate = DispatchSemaphore(value: 0)
        try await withHarness(
            upstream: .answering { request in
                arrivals.withLock { $0 += 1 }
                arrival.yield()
                _ = gate.wait(timeout: .now() + 120)
                return DocumentedResponses.respond(request)
            }
        ) { harness in
            var ids: [Int] = []
            for _ in 0..<3 {
                let id = harness.server.nextID()
                ids.append(id)
                harness.server.send([
                    "jsonrpc": "2.0", "id": .int(id), "method": "tools/call",
                    "params": ["name": "datanexus_list_platforms", "arguments": [:]],
                ])
            }
            var next = arrived.makeAsyncIterator()
            _ = await next.next()
            harness.server.send(Self.cancel(ids[0]))
            _ = try await harness.server.request("ping")
            // One of the two others now leads and asks once for both.
            _ = await next.next()
            gate.signal()
            gate.signal()
            for id in ids.dropFirst() {
                let answer = try await harness.server.response(to: .int(id))
                #expect(answer["result"]?["isError"] == false)
            }
            #expect(arrivals.withLock { $0 } == 2, "the cancelled leader's read was handed over, not repeated")
        }
    }

    @Test func aCancelledLeaderOfIdenticalPaidReadsStillAnswersTheOthersAndIsPaidOnce() async throws {
        let provider = HeldProvider()
        try await withHarness(upstream: provider.upstream) { harness in
            var arrivals = provider.arrivals.makeAsyncIterator()
            let ids = (0..<3).map { _ in harness.server.nextID() }
            for id in ids { harness.server.send(Self.getAuthor(id: id, author: "same")) }
            _ = await arrivals.next()
            harness.server.send(Self.cancel(ids[0]))
            _ = try await harness.server.request("ping")
            provider.release()
            for id in ids.dropFirst() {
                let answer = try await harness.server.response(to: .int(id))
                #expect(answer["result"]?["isError"] == false)
            }
            #expect(provider.charged.withLock { $0 } == 1)
            let usage = try await harness.server.callTool("social_data_usage")
            #expect(usage["structuredContent"]?["data"]?["all_processes"]?["today_cny"]?["spent"] == 0.08)
        }
    }

    static func getAuthor(id: Int, author: String) -> JSONValue {
        [
            "jsonrpc": "2.0", "id": .int(id), "method": "tools/call",
            "params": ["name": "datanexus_get_author", "arguments": ["platform": "douyin", "id": .string(author)]],
        ]
    }

    static func cancel(_ id: Int) -> JSONValue {
        ["jsonrpc": "2.0", "method": "notifications/cancelled", "params": ["requestId": .int(id), "reason": "Esc"]]
    }
}
