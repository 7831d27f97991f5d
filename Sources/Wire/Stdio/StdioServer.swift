import Foundation
import Locking

/// The stdio transport: reads newline-delimited JSON-RPC, runs each request concurrently,
/// writes each response as soon as it is ready.
///
/// Reading, parsing and registering a request happen on the reading thread in input
/// order, so a `notifications/cancelled` always finds the request it names. The loop runs
/// over an injected byte source, output channel and clock; only `run()` touches the
/// process (stdin, signals, `exit`), so queueing, cancellation, backpressure and end of
/// input are tested in memory.
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

    /// Other requests (`ping`, `tools/list`, `resources/read`) run at once.
    ///
    /// They are quick and never wait behind tool calls; the cap bounds how many answers
    /// are being built when the client stops reading (a pipelined burst of `tools/list`
    /// would otherwise build them all at once).
    public static let maximumOtherRequestsRunning = 16

    /// What a request is counted at beyond its line's bytes against
    /// `maximumBytesInFlight`: a parsed request and its task take about this much
    /// memory, so a burst of tiny requests is bounded as well as a few large ones.
    public static let bytesPerRequest = 2048

    /// The loop's bounds; the defaults are the server's, tests shrink them.
    public struct Limits: Sendable {
        /// See `StdioServer.maximumLineBytes`.
        public var maximumLineBytes = StdioServer.maximumLineBytes
        /// See `StdioServer.maximumBytesInFlight`.
        public var maximumBytesInFlight = StdioServer.maximumBytesInFlight
        /// See `StdioServer.maximumToolCallsRunning`.
        public var maximumToolCallsRunning = StdioServer.maximumToolCallsRunning
        /// See `StdioServer.maximumOtherRequestsRunning`.
        public var maximumOtherRequestsRunning = StdioServer.maximumOtherRequestsRunning
        /// See `StdioServer.bytesPerRequest`.
        public var bytesPerRequest = StdioServer.bytesPerRequest

        /// The server's limits.
        public init() {}
    }

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
        var toolQueue = RequestQueue()
        var otherQueue = RequestQueue()
        var toolCallsRunning = 0
        var othersRunning = 0
        var bytes = 0
        var drainWaiters: [CheckedContinuation<Void, Never>] = []
        var graceIsOver = false
    }

    private let server: any MessageHandler
    private let output: OutputChannel
    private let input: any ByteSource
    private let clock: any ServerClock
    private let limits: Limits
    private let onBackpressure: @Sendable () -> Void
    private let inFlight = Locked(Running())
    private let capacity = NSCondition()
    private let exitGrace: Duration

    /// Creates the loop around a server, its input and output, and the clock that times
    /// the grace after end of input; `onBackpressure` is told each time the reader stops
    /// reading until requests finish.
    public init(
        server: any MessageHandler,
        output: OutputChannel,
        input: any ByteSource = FileDescriptorSource(STDIN_FILENO),
        clock: any ServerClock = SystemClock(),
        limits: Limits = Limits(),
        exitGrace: Duration = .milliseconds(700),
        onBackpressure: @escaping @Sendable () -> Void = {}
    ) {
        self.server = server
        self.output = output
        self.input = input
        self.clock = clock
        self.limits = limits
        self.exitGrace = exitGrace
        self.onBackpressure = onBackpressure
        output.whenThereIsRoom { [weak self] in self?.outputHasRoom() }
    }

    /// The process-level shell: serves stdin until it closes, then exits within a second;
    /// SIGTERM or SIGINT exits between two messages.
    public func run() -> Never {
        ShutdownSignals.install { [output] in output.exitBetweenMessages(0) }
        let done = DispatchSemaphore(value: 0)
        Task {
            await serve()
            done.signal()
        }
        done.wait()
        output.exitBetweenMessages(0)
    }

    /// Serves until the input ends, then gives requests in flight `exitGrace` on the
    /// clock to finish, and returns.
    ///
    /// The input is read on a thread of its own: reads block, and a blocked reader is
    /// the backpressure.
    public func serve() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let reader = Thread { [self] in
                readLines()
                continuation.resume()
            }
            // As large as a main thread's: parsing and CoreFoundation use the stack generously.
            reader.stackSize = 8 << 20
            reader.start()
        }
        await drain(until: clock.now + exitGrace)
        // Answers already queued are still owed to a client that reads them.
        await output.drained()
    }

    /// Returns when nothing is in flight or the clock reaches `deadline`, whichever is first.
    private func drain(until deadline: ContinuousClock.Instant) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [self] in
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let idle = inFlight.withLock { running -> Bool in
                        guard running.requests.isEmpty || running.graceIsOver else {
                            running.drainWaiters.append(continuation)
                            return false
                        }
                        return true
                    }
                    if idle { continuation.resume() }
                }
            }
            group.addTask { [clock] in try? await clock.sleep(until: deadline) }
            await group.next()
            group.cancelAll()
            // The grace is over: release the idle waiter so the group can end.
            let waiters = inFlight.withLock { running in
                running.graceIsOver = true
                defer { running.drainWaiters = [] }
                return running.drainWaiters
            }
            for waiter in waiters { waiter.resume() }
        }
    }

    private func readLines() {
        var pending: [UInt8] = []
        var discarding = false
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { input.read(into: $0) }
            guard count > 0 else { return }
            var start = 0
            while start < count {
                guard let newline = chunk[start..<count].firstIndex(of: 0x0A) else {
                    if !discarding {
                        pending.append(contentsOf: chunk[start..<count])
                        if pending.count > limits.maximumLineBytes {
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
                    if newline - start > limits.maximumLineBytes {
                        rejectOversized(prefix: Array(chunk[start..<newline]))
                    } else {
                        handleLine(chunk[start..<newline])
                    }
                } else {
                    pending.append(contentsOf: chunk[start..<newline])
                    if pending.count > limits.maximumLineBytes {
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
                    "message longer than the \(StdioServer.describe(bytes: limits.maximumLineBytes)) line limit; it was discarded unread"
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
            let bytes = line.count + limits.bytesPerRequest
            waitForCapacity(bytes)
            start(request, bytes: bytes)
        case .notification(let method, let params):
            if method == "notifications/cancelled" {
                cancel(params["requestId"])
            } else {
                server.handle(notification: method, params: params)
            }
        case .response(let id, let result):
            // Routed on the reading thread, so an answer is never stuck behind the tool
            // call that waits for it.
            if let id { server.handle(response: id, result: result) }
        case .invalid(let id, let error):
            output.send(JSONRPC.error(id: id, error))
        }
    }

    /// Blocks the reader while the requests in flight hold too many bytes, or while the
    /// answers not yet written to stdout are over their bound (a client that stops
    /// reading): backpressure through the pipe instead of unbounded memory.
    private func waitForCapacity(_ bytes: Int) {
        let limit = limits.maximumBytesInFlight
        capacity.lock()
        defer { capacity.unlock() }
        var toldObserver = false
        while inFlight.withLock({ $0.bytes > 0 && $0.bytes + bytes > limit }) || output.isOverBound {
            if !toldObserver {
                toldObserver = true
                onBackpressure()
            }
            // `finish` broadcasts; the timeout only bounds a missed wake-up.
            _ = capacity.wait(until: Date().addingTimeInterval(1))
        }
    }

    private static func describe(bytes: Int) -> String {
        bytes >= 1 << 20 && bytes.isMultiple(of: 1 << 20) ? "\(bytes >> 20) MiB" : "\(bytes)-byte"
    }

    private func start(_ request: RPCRequest, bytes: Int) {
        let isToolCall = server.isQueued(request.method)
        let duplicate = inFlight.withLock { running -> Bool in
            guard running.requests[request.id] == nil else { return true }
            running.bytes += bytes
            running.requests[request.id] = Entry(slot: .waiting(request), bytes: bytes, isToolCall: isToolCall)
            if isToolCall {
                running.toolQueue.append(request.id)
            } else {
                running.otherQueue.append(request.id)
            }
            launchWaiting(in: &running)
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

    /// Starts waiting requests while their kind has a free slot and stdout's backlog is
    /// within its bound; called with the lock held.
    ///
    /// Nothing starts while the backlog is over the bound: the requests running then add
    /// their answers, and what waits stays a parsed request, not an answer in memory.
    private func launchWaiting(in running: inout Running) {
        guard !output.isOverBound else { return }
        while running.othersRunning < limits.maximumOtherRequestsRunning, let next = running.otherQueue.popFirst() {
            launch(next, in: &running)
        }
        while running.toolCallsRunning < limits.maximumToolCallsRunning, let next = running.toolQueue.popFirst() {
            launch(next, in: &running)
        }
    }

    /// Starts a waiting request's task; called with the lock held, so the task cannot
    /// finish before it is registered.
    private func launch(_ id: RequestID, in running: inout Running) {
        guard let entry = running.requests[id], case .waiting(let request) = entry.slot else { return }
        let task = Task { [server, self] in
            let response = await server.handle(request)
            self.finish(request.id, response)
        }
        running.requests[id]?.slot = .running(task)
        if entry.isToolCall {
            running.toolCallsRunning += 1
        } else {
            running.othersRunning += 1
        }
    }

    private func finish(_ id: RequestID, _ response: JSONValue) {
        // The answer is queued before the slot is freed, so the next request starts only
        // if the backlog, this answer included, leaves room.
        let wasCancelled = inFlight.withLock { $0.requests[id]?.isCancelled ?? true }
        // A cancelled request gets no response (MCP cancellation, "MUST NOT" respond).
        if !wasCancelled { output.send(response) }
        let idleWaiters = inFlight.withLock { running -> [CheckedContinuation<Void, Never>] in
            guard let finished = running.requests.removeValue(forKey: id) else { return [] }
            running.bytes -= finished.bytes
            if finished.isToolCall {
                running.toolCallsRunning -= 1
            } else {
                running.othersRunning -= 1
            }
            launchWaiting(in: &running)
            return Self.takeDrainWaiters(&running)
        }
        wakeReader()
        for waiter in idleWaiters { waiter.resume() }
    }

    /// Stdout's backlog fell back within its bound: start what waits, wake the reader.
    private func outputHasRoom() {
        inFlight.withLock { launchWaiting(in: &$0) }
        wakeReader()
    }

    private func wakeReader() {
        capacity.lock()
        capacity.broadcast()
        capacity.unlock()
    }

    /// The drain's waiters once nothing is in flight (the response is written first).
    private static func takeDrainWaiters(_ running: inout Running) -> [CheckedContinuation<Void, Never>] {
        guard running.requests.isEmpty else { return [] }
        defer { running.drainWaiters = [] }
        return running.drainWaiters
    }

    private func cancel(_ rawID: JSONValue?) {
        guard let rawID, let id = RequestID(rawID) else { return }
        let idleWaiters = inFlight.withLock { running -> [CheckedContinuation<Void, Never>] in
            guard let entry = running.requests[id] else { return [] }
            switch entry.slot {
            case .running(let task):
                running.requests[id]?.isCancelled = true
                task.cancel()
                return []
            case .waiting:
                // Never started: forget it; no response is owed.
                running.requests.removeValue(forKey: id)
                running.toolQueue.remove(id)
                running.otherQueue.remove(id)
                running.bytes -= entry.bytes
                return Self.takeDrainWaiters(&running)
            }
        }
        for waiter in idleWaiters { waiter.resume() }
    }
}
