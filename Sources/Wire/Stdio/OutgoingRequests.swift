import Locking

/// Requests the server sends the client (`elicitation/create`), each waiting for its
/// response by an id the server allocates.
///
/// The transport hands every response it reads to `receive`; a request ends with the
/// client's result, or `nil` on an error response, when its time is up, or when the call
/// that asked is cancelled. A response nobody waits for (late, duplicated, made up) is
/// dropped, so a hostile client cannot grow this table.
public final class OutgoingRequests: Sendable {
    private struct State {
        var nextID = 0
        var waiting: [RequestID: CheckedContinuation<JSONValue?, Never>] = [:]
        var timers: [RequestID: Task<Void, Never>] = [:]
        /// Ids whose call was cancelled before its continuation was registered.
        var abandoned: Set<RequestID> = []
    }

    private let send: @Sendable (JSONValue) -> Void
    private let clock: any ServerClock
    private let state = Locked(State())

    /// Creates the table; `send` writes a message to the client, `clock` times the waits.
    public init(send: @escaping @Sendable (JSONValue) -> Void, clock: any ServerClock = SystemClock()) {
        self.send = send
        self.clock = clock
    }

    /// Requests waiting for their response, for tests and diagnostics.
    public var pendingCount: Int { state.withLock { $0.waiting.count } }

    /// Sends `method` with `params` and waits at most `timeout` for the client's result.
    ///
    /// `send` writes the request instead of the table's own writer: over HTTP, the request
    /// goes on the stream of the call that asks, the one place the client listens.
    public func request(
        _ method: String,
        params: JSONValue,
        timeout: Duration,
        send: (@Sendable (JSONValue) -> Void)? = nil
    ) async -> JSONValue? {
        let send = send ?? self.send
        // The prefix keeps the server's ids apart from the client's in any log of the wire.
        let id = state.withLock { state -> RequestID in
            state.nextID += 1
            return .string("social-data-mcp-\(state.nextID)")
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<JSONValue?, Never>) in
                let isAbandoned = state.withLock { state -> Bool in
                    if state.abandoned.remove(id) != nil { return true }
                    state.waiting[id] = continuation
                    state.timers[id] = Task { [clock, weak self] in
                        // A cancelled sleep (the answer came) ends the timer without resolving.
                        guard (try? await clock.sleep(for: timeout)) != nil else { return }
                        self?.resolve(id, with: nil, abandoning: false)
                    }
                    return false
                }
                if isAbandoned {
                    continuation.resume(returning: nil)
                } else {
                    send(JSONRPC.request(id: id, method: method, params: params))
                }
            }
        } onCancel: {
            resolve(id, with: nil, abandoning: true)
        }
    }

    /// Hands the client's response to the request waiting for it; `result` is `nil` for an error.
    public func receive(id: RequestID, result: JSONValue?) {
        resolve(id, with: result, abandoning: false)
    }

    private func resolve(_ id: RequestID, with result: JSONValue?, abandoning: Bool) {
        let (continuation, timer) = state.withLock { state in
            let continuation = state.waiting.removeValue(forKey: id)
            if continuation == nil, abandoning { state.abandoned.insert(id) }
            return (continuation, state.timers.removeValue(forKey: id))
        }
        timer?.cancel()
        continuation?.resume(returning: result)
    }
}
