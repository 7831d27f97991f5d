import Synchronization

/// Spaces requests to one provider at least `spacing` apart, so parallel tool calls queue
/// instead of tripping the provider's rate limit (GEO: one request per second per key).
///
/// A slot is claimed only at the moment a request is let go, measured from the previous
/// request's actual start: a waiter that wakes late cannot shrink the gap to the next.
public final class RequestPacer: Sendable {
    private struct State {
        var lastStart: ContinuousClock.Instant?
        var heldUntil: ContinuousClock.Instant?
    }

    private let spacing: Duration
    private let state = Mutex(State())

    /// Creates a pacer.
    public init(spacing: Duration) {
        self.spacing = spacing
    }

    /// Waits until a request may go and claims that moment; throws `CancellationError` if
    /// the call is cancelled while queued, and returns `false` at once when the earliest
    /// moment would come after `deadline`.
    public func acquire(before deadline: ContinuousClock.Instant) async throws -> Bool {
        while true {
            let earliest = state.withLock { state in
                var earliest = ContinuousClock.now
                if let lastStart = state.lastStart { earliest = max(earliest, lastStart + spacing) }
                if let heldUntil = state.heldUntil { earliest = max(earliest, heldUntil) }
                return earliest
            }
            guard earliest < deadline else { return false }
            if earliest > .now { try await Task.sleep(until: earliest, clock: .continuous) }
            let claimed = state.withLock { state in
                let now = ContinuousClock.now
                if let lastStart = state.lastStart, now < lastStart + spacing { return false }
                if let heldUntil = state.heldUntil, now < heldUntil { return false }
                state.lastStart = now
                return true
            }
            // Another waiter took this moment; wait for the next one.
            if claimed { return true }
        }
    }

    /// Holds every request back until `instant` (after a 429 with `Retry-After`).
    public func hold(until instant: ContinuousClock.Instant) {
        state.withLock { state in state.heldUntil = max(state.heldUntil ?? instant, instant) }
    }
}
