import Locking

/// At most `limit` requests to one provider at a time; the rest wait their turn in order.
///
/// A pipelined burst of 300 calls otherwise becomes 300 URLSession tasks, each holding a
/// libcurl handle and buffers at once; waiting here costs one continuation. It also keeps
/// a burst from hammering a provider.
public final class ConcurrencyLimit: Sendable {
    private struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var available: Int
        var waiters: [Waiter] = []
        var nextID = 0
        var cancelledBeforeWaiting: Set<Int> = []
    }

    private let state: Locked<State>

    /// Creates a limit of `limit` concurrent holders.
    public init(_ limit: Int) {
        state = Locked(State(available: max(1, limit)))
    }

    /// Runs `body` holding one of the permits; throws `CancellationError` if the calling
    /// task is cancelled while it waits.
    public func withPermit<Value>(_ body: () async throws -> Value) async throws -> Value {
        try await acquire()
        defer { release() }
        return try await body()
    }

    /// Waits for a permit and takes it; every successful `acquire` needs one `release`.
    public func acquire() async throws(CancellationError) {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        do {
            try await waitForPermit(id)
        } catch {
            throw CancellationError()
        }
        // A permit granted after a late cancellation is simply used; nothing leaks.
        _ = state.withLock { $0.cancelledBeforeWaiting.remove(id) }
    }

    private func waitForPermit(_ id: Int) async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Void, any Error>? = state.withLock { state in
                    if state.cancelledBeforeWaiting.remove(id) != nil { return .failure(CancellationError()) }
                    if state.available > 0 {
                        state.available -= 1
                        return .success(())
                    }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                if let index = state.waiters.firstIndex(where: { $0.id == id }) {
                    return state.waiters.remove(at: index)
                }
                state.cancelledBeforeWaiting.insert(id)
                return nil
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Returns a permit taken with `acquire`, handing it straight to the next waiter.
    public func release() {
        let next = state.withLock { state -> Waiter? in
            guard !state.waiters.isEmpty else {
                state.available += 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        // The permit passes straight to the next waiter.
        next?.continuation.resume()
    }
}
