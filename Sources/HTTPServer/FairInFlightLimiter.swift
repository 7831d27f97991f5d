import Locking

/// Limits calls in flight per key (a member) and in total, serving waiting callers
/// round-robin across keys.
///
/// When the upstream is the bottleneck (GEO allows one request per second per key), a member
/// who fires fifty calls must not starve one who fires a single call: each key holds at most
/// `perKey` permits, and when a permit frees, the next key in rotation that has a waiter and is
/// under its share gets it, so waiting members take turns whatever their queue lengths.
public final class FairInFlightLimiter: Sendable {
    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var inFlight: [String: Int] = [:]
        var total = 0
        var waiters: [String: [Waiter]] = [:]
        /// Keys with waiters, in the order they get their next turn.
        var rotation: [String] = []
        var nextID: UInt64 = 0
        /// Waiters cancelled before they were queued.
        var cancelledEarly: Set<UInt64> = []
    }

    /// The most permits one key may hold.
    public let perKey: Int
    /// The most permits all keys together may hold.
    public let total: Int
    private let state = Locked(State())

    /// A limiter allowing `perKey` calls per key and `total` calls overall (both at least 1).
    public init(perKey: Int, total: Int) {
        self.perKey = max(1, perKey)
        self.total = max(1, total)
    }

    /// Calls in flight for `key` (tests and usage reports).
    public func inFlight(_ key: String) -> Int { state.withLock { $0.inFlight[key] ?? 0 } }

    /// Callers waiting for `key`.
    public func waiting(_ key: String) -> Int { state.withLock { $0.waiters[key]?.count ?? 0 } }

    /// Waits for a permit for `key`.
    ///
    /// Throws `CancellationError` when the task is cancelled while waiting (holding nothing
    /// then). Every successful acquire needs one `release`.
    public func acquire(_ key: String) async throws {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Void, any Error>? = state.withLock { state in
                    if state.cancelledEarly.remove(id) != nil { return .failure(CancellationError()) }
                    let anyoneEligible = state.rotation.contains { (state.inFlight[$0] ?? 0) < perKey }
                    if !anyoneEligible, state.total < total, (state.inFlight[key] ?? 0) < perKey {
                        state.inFlight[key, default: 0] += 1
                        state.total += 1
                        return .success(())
                    }
                    state.waiters[key, default: []].append(Waiter(id: id, continuation: continuation))
                    if !state.rotation.contains(key) { state.rotation.append(key) }
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let waiter: Waiter? = state.withLock { state in
                for (key, queue) in state.waiters {
                    guard let index = queue.firstIndex(where: { $0.id == id }) else { continue }
                    let waiter = state.waiters[key]?.remove(at: index)
                    if state.waiters[key]?.isEmpty ?? false {
                        state.waiters[key] = nil
                        state.rotation.removeAll { $0 == key }
                    }
                    return waiter
                }
                // Not queued yet (or already granted): remember, so a late queueing fails.
                state.cancelledEarly.insert(id)
                return nil
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
        // A cancellation that raced with a grant leaves an id that will never be queued.
        state.withLock { _ = $0.cancelledEarly.remove(id) }
    }

    /// Gives back a permit for `key` and hands freed permits to waiters, round-robin.
    public func release(_ key: String) {
        let granted: [Waiter] = state.withLock { state in
            if let count = state.inFlight[key], count > 0 {
                state.inFlight[key] = count == 1 ? nil : count - 1
                state.total -= 1
            }
            var granted: [Waiter] = []
            while state.total < total,
                let index = state.rotation.firstIndex(where: { (state.inFlight[$0] ?? 0) < perKey })
            {
                let next = state.rotation.remove(at: index)
                guard var queue = state.waiters[next], !queue.isEmpty else { continue }
                granted.append(queue.removeFirst())
                state.waiters[next] = queue.isEmpty ? nil : queue
                // Back of the line: the other waiting keys go first.
                if !queue.isEmpty { state.rotation.append(next) }
                state.inFlight[next, default: 0] += 1
                state.total += 1
            }
            return granted
        }
        for waiter in granted { waiter.continuation.resume() }
    }

    /// Runs `body` holding a permit for `key`, releasing it however `body` ends.
    public func withPermit<Result: Sendable>(
        _ key: String,
        _ body: () async throws -> Result
    ) async throws -> Result {
        try await acquire(key)
        defer { release(key) }
        return try await body()
    }
}
