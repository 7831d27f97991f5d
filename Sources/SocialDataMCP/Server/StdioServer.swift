import Foundation
import Locking

/// The stdio transport: reads newline-delimited JSON-RPC from stdin, runs each request
/// concurrently, writes each response as soon as it is ready.
///
/// Reading, parsing and registering a request happen on the reading thread in input
/// order, so a `notifications/cancelled` always finds the request it names.
public final class StdioServer: Sendable {
    /// The longest line accepted; longer ones are discarded unread and answered with an
    /// error, so a runaway client cannot make the server buffer without bound.
    public static let maximumLineBytes = 8 << 20

    /// Request bytes that may be in flight before the reader stops reading stdin until
    /// some finish: backpressure through the pipe instead of unbounded memory.
    public static let maximumBytesInFlight = 64 << 20

    /// Tool calls run at once; more wait their turn in arrival order.
    ///
    /// An agent runs a
    /// handful at a time; a pipelined burst of hundreds then holds the memory of 32 calls,
    /// not of hundreds. Other requests (`ping`, `tools/list`) and notifications
    /// (cancellation) never wait behind tool calls.
    public static let maximumToolCallsRunning = 32

    private enum Slot {
        case running(Task<Void, Never>)
        case waiting(RPCRequest)
    }

    private struct Entry {
        var slot: Slot
        let bytes: Int
        let isToolCall: Bool
        var isCancelled = false
    }

    private struct Running {
        var requests: [RequestID: Entry] = [:]
        var queue: [RequestID] = []
        var toolCallsRunning = 0
        var bytes = 0
    }

    private let server: MCPServer
    private let output: OutputChannel
    private let inFlight = Locked(Running())
    private let capacity = NSCondition()
    private let exitGrace: Duration

    /// Creates the transport around a server and its output channel.
    public init(server: MCPServer, output: OutputChannel, exitGrace: Duration = .milliseconds(700)) {
        self.server = server
        self.output = output
        self.exitGrace = exitGrace
    }

    /// Serves until stdin closes, then exits within a second: in-flight requests get a
    /// short grace to finish, and SIGTERM or SIGINT exits between two messages.
    public func run() -> Never {
        ShutdownSignals.install { [output] in output.exitBetweenMessages(0) }
        readLines(from: STDIN_FILENO)
        let deadline = ContinuousClock.now + exitGrace
        while ContinuousClock.now < deadline, !inFlight.withLock({ $0.requests.isEmpty }) {
            usleep(2_000)
        }
        output.exitBetweenMessages(0)
    }

    private func readLines(from descriptor: Int32) {
        var pending: [UInt8] = []
        var discarding = false
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return }
            var start = 0
            while start < count {
                guard let newline = chunk[start..<count].firstIndex(of: 0x0A) else {
                    if !discarding {
                        pending.append(contentsOf: chunk[start..<count])
                        if pending.count > StdioServer.maximumLineBytes {
                            rejectOversized(prefix: pending)
                            pending = []
                            discarding = true
                        }
                    }
                    break
                }
                if discarding {
                    discarding = false
                } else if pending.isEmpty {
                    handleLine(chunk[start..<newline])
                } else {
                    pending.append(contentsOf: chunk[start..<newline])
                    if pending.count > StdioServer.maximumLineBytes {
                        rejectOversized(prefix: pending)
                    } else {
                        handleLine(pending[...])
                    }
                    pending = []
                }
                start = newline + 1
            }
        }
    }

    private func rejectOversized(prefix: [UInt8]) {
        let id = RequestIDSniffer.sniff(prefix.prefix(1 << 16))
        output.send(
            JSONRPC.error(
                id: id,
                .invalidRequest(
                    "message longer than the \(StdioServer.maximumLineBytes >> 20) MiB line limit; it was discarded unread"
                )
            )
        )
    }

    private func handleLine(_ line: ArraySlice<UInt8>) {
        guard line.contains(where: { ![0x20, 0x09, 0x0D].contains($0) }) else { return }
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            output.send(JSONRPC.error(id: nil, .parseError(error.description)))
            return
        }
        switch IncomingMessage(value) {
        case .request(let request):
            waitForCapacity(line.count)
            start(request, bytes: line.count)
        case .notification(let method, let params):
            if method == "notifications/cancelled" {
                cancel(params["requestId"])
            } else {
                server.handle(notification: method, params: params)
            }
        case .response:
            break
        case .invalid(let id, let error):
            output.send(JSONRPC.error(id: id, error))
        }
    }

    /// Blocks the reader while the requests in flight hold too many bytes.
    private func waitForCapacity(_ bytes: Int) {
        capacity.lock()
        defer { capacity.unlock() }
        while inFlight.withLock({ $0.bytes > 0 && $0.bytes + bytes > StdioServer.maximumBytesInFlight }) {
            _ = capacity.wait(until: Date().addingTimeInterval(1))
        }
    }

    private func start(_ request: RPCRequest, bytes: Int) {
        let isToolCall = request.method == "tools/call"
        let duplicate = inFlight.withLock { running -> Bool in
            guard running.requests[request.id] == nil else { return true }
            running.bytes += bytes
            if isToolCall, running.toolCallsRunning >= StdioServer.maximumToolCallsRunning {
                running.requests[request.id] = Entry(slot: .waiting(request), bytes: bytes, isToolCall: true)
                running.queue.append(request.id)
            } else {
                launch(request, bytes: bytes, isToolCall: isToolCall, in: &running)
            }
            return false
        }
        if duplicate {
            output.send(
                JSONRPC.error(
                    id: request.id,
                    .invalidRequest("id \(request.id) is already used by a request in flight")
                )
            )
        }
    }

    /// Starts a request's task; called with the lock held, so the task cannot finish
    /// before it is registered.
    private func launch(_ request: RPCRequest, bytes: Int, isToolCall: Bool, in running: inout Running) {
        let task = Task { [server, self] in
            let response = await server.handle(request)
            self.finish(request.id, response)
        }
        running.requests[request.id] = Entry(slot: .running(task), bytes: bytes, isToolCall: isToolCall)
        if isToolCall { running.toolCallsRunning += 1 }
    }

    private func finish(_ id: RequestID, _ response: JSONValue) {
        let wasCancelled = inFlight.withLock { running in
            guard let finished = running.requests.removeValue(forKey: id) else { return false }
            running.bytes -= finished.bytes
            if finished.isToolCall {
                running.toolCallsRunning -= 1
                while running.toolCallsRunning < StdioServer.maximumToolCallsRunning, !running.queue.isEmpty {
                    let next = running.queue.removeFirst()
                    guard let entry = running.requests[next], case .waiting(let request) = entry.slot else { continue }
                    launch(request, bytes: entry.bytes, isToolCall: true, in: &running)
                }
            }
            return finished.isCancelled
        }
        capacity.lock()
        capacity.broadcast()
        capacity.unlock()
        // A cancelled request gets no response (MCP cancellation, "MUST NOT" respond).
        if !wasCancelled { output.send(response) }
    }

    private func cancel(_ rawID: JSONValue?) {
        guard let rawID, let id = RequestID(rawID) else { return }
        inFlight.withLock { running in
            guard let entry = running.requests[id] else { return }
            switch entry.slot {
            case .running(let task):
                running.requests[id]?.isCancelled = true
                task.cancel()
            case .waiting:
                // Never started: forget it; no response is owed.
                running.requests.removeValue(forKey: id)
                running.queue.removeAll { $0 == id }
                running.bytes -= entry.bytes
            }
        }
    }
}
