import Foundation
import Locking
import LoopbackStandIn
import Providers
import Testing
import Wire

/// Tests whose assertions are about wall-clock time.
///
/// Requests a second apart, an exit within a second, a ping that does not wait three
/// seconds: on two cores shared with a
/// hundred parallel tests, scheduling alone can move an arrival by 150 ms, so these run
/// one at a time in a pass of their own: `scripts/test` sets
/// `SOCIAL_DATA_MCP_TIMING_TESTS=1` for `swift test --filter TimingEndToEndTests`.
@Suite(
    "Timing end to end",
    .serialized,
    .enabled(if: ProcessInfo.processInfo.environment["SOCIAL_DATA_MCP_TIMING_TESTS"] == "1")
)
struct TimingEndToEndTests {
    @Test func parallelCallsQueueAndAllSucceedAtOneRequestPerSecond() async throws {
        try await withHarness { harness in
            let tools = ["geo_list_brands", "geo_get_brand", "geo_list_topics", "geo_citations_overview"]
            try await withThrowingTaskGroup(of: JSONValue.self) { group in
                for tool in tools {
                    group.addTask {
                        try await harness.server.callTool(
                            tool,
                            tool == "geo_list_brands" ? [:] : ["brand_id": .string(GEOEndToEndTests.brand)]
                        )
                    }
                }
                for try await result in group { #expect(!result.isToolError, "\(result.resultText)") }
            }
            let arrivals = harness.upstream.callRequests.map(\.receivedAt).sorted()
            #expect(
                arrivals.count == tools.count,
                "each call reached the stand-in once: nothing was rejected and retried"
            )
            for (earlier, later) in zip(arrivals, arrivals.dropFirst()) {
                #expect(
                    later.timeIntervalSince(earlier) >= 0.99,
                    "two GEO requests \(later.timeIntervalSince(earlier)) s apart"
                )
            }
        }
    }

    @Test func a429WithRetryAfterIsRetriedAndSucceeds() async throws {
        let calls = Locked(0)
        let documented = DocumentedResponses.makeHandler()
        try await withHarness(
            upstream: .answering { request in
                let count = calls.withLock { value in
                    value += 1
                    return value
                }
                if count == 1 {
                    return .json(
                        429,
                        ["error": ["code": "rate_limited", "message": "请求过于频繁"]],
                        headers: ["Retry-After": "1"]
                    )
                }
                return documented(request)
            }
        ) { harness in
            let result = try await harness.server.callTool("geo_list_brands")
            #expect(!result.isToolError, "\(result.resultText)")
            let arrivals = harness.upstream.callRequests.map(\.receivedAt)
            #expect(arrivals.count == 2)
            #expect(arrivals[1].timeIntervalSince(arrivals[0]) >= 1.0, "Retry-After: 1 was honoured")
        }
    }

    @Test func slowUpstreamDoesNotHoldUpPingOrOtherCalls() async throws {
        try await withHarness(
            upstream: .answering { request in
                var response = DocumentedResponses.respond(request)
                if request.path.contains("/authors/slow") { response.delay = 3 }
                return response
            }
        ) { harness in
            let slowID = harness.server.nextID()
            harness.server.send([
                "jsonrpc": "2.0", "id": .int(slowID), "method": "tools/call",
                "params": ["name": "datanexus_get_author", "arguments": ["platform": "douyin", "id": "slow"]],
            ])
            let started = ContinuousClock.now
            let ping = try await harness.server.request("ping")
            let fast = try await harness.server.callTool("datanexus_get_author", ["platform": "douyin", "id": "fast"])
            #expect(ping["result"] == [:])
            #expect(!fast.isToolError)
            #expect(ContinuousClock.now - started < .seconds(2), "ping and a fast call waited for the slow one")
            let slow = try await harness.server.response(to: .int(slowID))
            #expect(slow["result"]?["isError"] == false)
        }
    }

    @Test func exitsPromptlyOnStdinEOFEvenWithACallInFlight() async throws {
        let harness = try Harness.start(handler: { request in
            var response = DocumentedResponses.respond(request)
            response.delay = 10
            return response
        })
        try await harness.server.initialize()
        harness.server.send([
            "jsonrpc": "2.0", "id": 99, "method": "tools/call",
            "params": ["name": "datanexus_get_author", "arguments": ["platform": "douyin", "id": "1"]],
        ])
        while harness.upstream.callRequests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        let closed = ContinuousClock.now
        harness.server.closeInput()
        let status = await harness.server.waitForExit(timeout: .seconds(5))
        let elapsed = ContinuousClock.now - closed
        #expect(status == 0)
        #expect(elapsed < .milliseconds(1_500), "took \(elapsed) to exit after EOF")
        await harness.finish()
    }

    @Test func toolCallsBeyondTheCapQueueWhilePingAndCancellationStillGetThrough() async throws {
        try await withHarness(
            upstream: .answering { request in
                var response = DocumentedResponses.respond(request)
                response.delay = 1.5
                return response
            }
        ) { harness in
            let count = StdioServer.maximumToolCallsRunning + 8
            var ids: [Int] = []
            for index in 0..<count {
                let id = harness.server.nextID()
                ids.append(id)
                harness.server.send([
                    "jsonrpc": "2.0", "id": .int(id), "method": "tools/call",
                    "params": [
                        "name": "datanexus_get_author",
                        "arguments": ["platform": "douyin", "id": .string("q\(index)")],
                    ],
                ])
            }
            // The last one is still queued behind the cap: cancelling it means it never runs.
            let queued = try #require(ids.last)
            harness.server.send([
                "jsonrpc": "2.0", "method": "notifications/cancelled", "params": ["requestId": .int(queued)],
            ])
            let ping = try await harness.server.request("ping")
            #expect(ping["result"] == [:])
            let answeredBeforePing = harness.server.messages.filter { $0["result"]?["content"] != nil }.count
            #expect(answeredBeforePing == 0, "ping was answered while every tool call was still waiting upstream")
            for id in ids.dropLast() {
                let response = try await harness.server.response(to: .int(id))
                #expect(response["result"]?["isError"] == false)
            }
            await #expect(throws: ServerProcess.Timeout.self) {
                _ = try await harness.server.response(to: .int(queued), timeout: .seconds(2))
            }
            #expect(harness.upstream.callRequests.count == count - 1, "the cancelled call never reached the provider")
        }
    }
}
