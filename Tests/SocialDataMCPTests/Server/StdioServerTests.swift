import Foundation
import MCP
import SocialDataMCPTesting
import Spend
import Testing
import ToolCall
import Wire

/// The stdio loop in memory, with no process, no pipes and no sleeping.
///
/// Input the test writes, output it reads, a transport that holds calls until released
/// and a manual clock. The time limit only catches a test that would otherwise hang.
@Suite(.timeLimit(.minutes(1)))
struct StdioServerTests {
    /// One loop and its parts.
    struct Loop {
        let input = MemoryInput()
        let output = MemoryOutput()
        let transport = GatedTransport()
        let clock = ManualClock()
        let stdout: StalledOutput
        let channel: OutputChannel
        let stdio: StdioServer
        let backpressure: AsyncStream<Void>
        static let exitGrace: Duration = .milliseconds(700)

        init(
            limits: StdioServer.Limits = StdioServer.Limits(),
            outputBound: Int = OutputChannel.maximumQueuedBytes
        ) throws {
            let configuration = try Configuration(
                environment: Environment([
                    "DATANEXUS_API_KEY": "dn_live_unit", "DATATRUST_API_KEY": "dt_unit",
                    "SOCIAL_DATA_MCP_STATE_DIR": ScratchStateDirectory.make(),
                    // A DataTrust detail with no charge recorded would ask first; these tests are about the loop.
                    "SOCIAL_DATA_MCP_CONFIRM_ABOVE_CNY": "none",
                ])
            )
            let services = try ToolServices(configuration: configuration, transport: transport, clock: clock)
            stdout = StalledOutput(output)
            let channel = OutputChannel(
                redactor: services.secrets,
                stdout: stdout,
                stderr: MemoryOutput(),
                maximumQueuedBytes: outputBound
            ) {}
            self.channel = channel
            let server = MCPServer(
                application: ServerApplication(services: services),
                notify: channel.send,
                diagnostics: channel.log
            )
            let (stream, continuation) = AsyncStream.makeStream(of: Void.self)
            backpressure = stream
            stdio = StdioServer(
                server: server,
                output: channel,
                input: input,
                clock: clock,
                limits: limits,
                exitGrace: Self.exitGrace,
                onBackpressure: { continuation.yield() }
            )
        }

        /// Starts serving and completes the handshake; the task ends when `serve` returns.
        func start() async -> Task<Void, Never> {
            let serving = Task { [stdio] in await stdio.serve() }
            input.send([
                "jsonrpc": "2.0", "id": 0, "method": "initialize",
                "params": [
                    "protocolVersion": "2025-11-25", "capabilities": [:], "clientInfo": ["name": "t", "version": "1"],
                ],
            ])
            _ = await output.response(to: 0)
            input.send(["jsonrpc": "2.0", "method": "notifications/initialized"])
            return serving
        }

        func callTool(id: Int, author: String = "1") {
            input.send([
                "jsonrpc": "2.0", "id": .int(id), "method": "tools/call",
                "params": [
                    "name": "datanexus_get_author", "arguments": ["platform": "douyin", "id": .string(author)],
                ],
            ])
        }

        func cancel(_ id: Int) {
            input.send(["jsonrpc": "2.0", "method": "notifications/cancelled", "params": ["requestId": .int(id)]])
        }

        func ping(id: Int) { input.send(["jsonrpc": "2.0", "id": .int(id), "method": "ping"]) }
    }

    @Test func toolCallsBeyondTheCapWaitWhilePingAndCancellationGetThrough() async throws {
        var limits = StdioServer.Limits()
        limits.maximumToolCallsRunning = 2
        let loop = try Loop(limits: limits)
        let serving = await loop.start()
        for id in 1...4 { loop.callTool(id: id, author: "a\(id)") }
        await loop.transport.wait(arrivals: 2)
        // 3 and 4 wait their turn; cancelling 4 means it never runs.
        loop.cancel(4)
        loop.ping(id: 100)
        #expect(await loop.output.response(to: 100)["result"] == [:])
        #expect(loop.transport.arrivals == 2, "only two calls run at once")
        loop.transport.releaseOne()
        await loop.transport.wait(arrivals: 3)
        loop.transport.open()
        for id in 1...3 { #expect(await loop.output.response(to: id)["result"]?["isError"] == false) }
        loop.input.close()
        await serving.value
        #expect(!loop.output.hasResponse(to: 4), "a cancelled request gets no response")
        #expect(loop.transport.arrivals == 3, "the cancelled call never reached the provider")
    }

    @Test func cancellingARunningFreeCallAbandonsItsRequestAndSendsNoResponse() async throws {
        let loop = try Loop()
        let serving = await loop.start()
        loop.input.send([
            "jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": ["name": "datanexus_list_platforms", "arguments": [:]],
        ])
        await loop.transport.wait(arrivals: 1)
        loop.cancel(1)
        await loop.transport.wait(cancellations: 1)
        loop.ping(id: 2)
        #expect(await loop.output.response(to: 2)["result"] == [:])
        // A cancellation naming nothing in flight is ignored.
        loop.cancel(77)
        loop.input.close()
        await serving.value
        #expect(!loop.output.hasResponse(to: 1))
        #expect(!loop.output.hasResponse(to: 77))
    }

    @Test func aPaidCallCancelledAfterItsRequestLeftFinishesUnansweredAndIsSettled() async throws {
        let loop = try Loop()
        let serving = await loop.start()
        // A paid call with no price list to read first: its one request is the call's own.
        loop.input.send([
            "jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": ["name": "datatrust_get_dataset", "arguments": ["id": "1"]],
        ])
        await loop.transport.wait(arrivals: 1)
        loop.cancel(1)
        loop.ping(id: 2)
        #expect(await loop.output.response(to: 2)["result"] == [:])
        loop.transport.open()
        var calls: JSONValue?
        for id in 3..<40 where calls != 1 {
            loop.input.send([
                "jsonrpc": "2.0", "id": .int(id), "method": "tools/call",
                "params": ["name": "social_data_usage", "arguments": [:]],
            ])
            calls = await loop.output.response(to: id)["result"]?["structuredContent"]?["data"]?["overall"]?["calls"]
        }
        #expect(calls == 1, "the request reached the provider, so the call is settled, not forgotten")
        #expect(loop.transport.cancellations == 0)
        loop.input.close()
        await serving.value
        #expect(!loop.output.hasResponse(to: 1))
    }

    @Test func aReusedIDInFlightIsRejectedAndTheFirstCallStillAnswers() async throws {
        let loop = try Loop()
        let serving = await loop.start()
        loop.callTool(id: 1)
        await loop.transport.wait(arrivals: 1)
        loop.ping(id: 1)
        let duplicate = await loop.output.response(to: 1)
        #expect(duplicate["error"]?["code"] == -32600)
        loop.transport.open()
        _ = await loop.output.message { $0["id"] == 1 && $0["result"] != nil }
        loop.input.close()
        await serving.value
    }

    @Test func theReaderStopsReadingWhileRequestsInFlightHoldTooManyBytes() async throws {
        var limits = StdioServer.Limits()
        // One tools/call line is about 125 bytes: one fits, two do not.
        limits.maximumBytesInFlight = 200
        let loop = try Loop(limits: limits)
        let serving = await loop.start()
        loop.callTool(id: 1, author: "a1")
        loop.callTool(id: 2, author: "a2")
        loop.ping(id: 3)
        var backpressure = loop.backpressure.makeAsyncIterator()
        _ = await backpressure.next()
        // Call 2 does not fit beside call 1: the reader holds it and reads nothing more.
        // Read so far: initialize, initialized, call 1, call 2.
        #expect(loop.input.chunksRead == 4, "the ping behind it stays unread")
        #expect(!loop.output.hasResponse(to: 3))
        await loop.transport.wait(arrivals: 1)
        #expect(loop.transport.arrivals == 1)
        loop.transport.open()
        for id in 1...3 { _ = await loop.output.response(to: id) }
        loop.input.close()
        await serving.value
        #expect(loop.transport.arrivals == 2)
    }

    @Test func endOfInputLetsACallInFlightFinishAndAnswer() async throws {
        let loop = try Loop()
        let serving = await loop.start()
        loop.callTool(id: 1)
        await loop.transport.wait(arrivals: 1)
        loop.input.close()
        // The loop is now in its grace period, waiting on the clock; the call finishes first.
        await loop.clock.sleepers(atLeast: 1)
        loop.transport.open()
        await serving.value
        #expect(loop.output.hasResponse(to: 1))
    }

    @Test func endOfInputEndsTheLoopAfterTheGraceEvenWithACallStuck() async throws {
        let loop = try Loop()
        let serving = await loop.start()
        loop.callTool(id: 1)
        await loop.transport.wait(arrivals: 1)
        loop.input.close()
        await loop.clock.sleepers(atLeast: 1)
        #expect(loop.clock.nextDeadline.map { $0 - loop.clock.now } == Loop.exitGrace)
        loop.clock.advance(by: Loop.exitGrace)
        await serving.value
        #expect(!loop.output.hasResponse(to: 1), "the loop ended without waiting for the stuck call")
        loop.transport.open()
    }

    @Test func anOversizedLineIsAnsweredWithAnErrorAndTheNextLineStillWorks() async throws {
        var limits = StdioServer.Limits()
        limits.maximumLineBytes = 200
        let loop = try Loop(limits: limits)
        let serving = await loop.start()
        let padding = String(repeating: "x", count: 400)
        loop.input.send("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\",\"params\":{\"pad\":\"\(padding)\"}}")
        let rejected = await loop.output.response(to: 5)
        #expect(rejected["error"]?["code"] == -32600)
        #expect(rejected["error"]?["message"]?.stringValue?.contains("200-byte line limit") == true)
        loop.ping(id: 6)
        #expect(await loop.output.response(to: 6)["result"] == [:])
        loop.input.close()
        await serving.value
    }

    @Test func everyLineWrittenIsOneWholeMessage() async throws {
        let loop = try Loop()
        let serving = await loop.start()
        for id in 1...20 { loop.callTool(id: id, author: "a\(id)") }
        loop.transport.open()
        for id in 1...20 { _ = await loop.output.response(to: id) }
        loop.input.close()
        await serving.value
        #expect(loop.output.lines.allSatisfy { (try? JSONParser.parse($0))?["jsonrpc"] == "2.0" })
    }

    @Test func aClientThatStopsReadingStopsTheReaderAndNothingNewStarts() async throws {
        var limits = StdioServer.Limits()
        limits.maximumOtherRequestsRunning = 2
        // Far below one tools/list answer: the first answer queued fills the backlog.
        let bound = 1000
        let loop = try Loop(limits: limits, outputBound: bound)
        let serving = await loop.start()
        loop.ping(id: 1)
        _ = await loop.output.response(to: 1)
        let answer = loop.output.lines.count
        loop.stdout.stall()
        for id in 2...51 { loop.input.send(["jsonrpc": "2.0", "id": .int(id), "method": "tools/list"]) }
        // The first answer is stuck in the pipe: the backlog is over its bound, so no
        // other tools/list starts, and the next request read stops the reader.
        await loop.stdout.blockedWrite()
        loop.ping(id: 52)
        var backpressure = loop.backpressure.makeAsyncIterator()
        _ = await backpressure.next()
        #expect(loop.input.chunksRead == 2 + 1 + 50 + 1)
        #expect(!loop.output.hasResponse(to: 52))
        let backlog = loop.channel.backlog
        #expect(loop.channel.isOverBound)
        loop.stdout.resume()
        for id in 2...51 { #expect(await loop.output.response(to: id)["result"]?["tools"] != nil) }
        #expect(await loop.output.response(to: 52)["result"] == [:])
        loop.input.close()
        await serving.value
        #expect(loop.output.lines.count == answer + 51)
        #expect(loop.channel.backlog == 0)
        // The backlog was the bound plus the answers of the requests that were running
        // (at most two here) and the one being written: never one answer per request read.
        let oneAnswer = loop.output.lines.map(\.utf8.count).max() ?? 0
        #expect(backlog <= bound + 3 * (oneAnswer + 1), "backlog \(backlog), one answer \(oneAnswer)")
    }
}
