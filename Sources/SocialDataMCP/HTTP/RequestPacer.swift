import Synchronization

/// Spaces requests to one provider at least `spacing` apart, so parallel tool calls queue
/// instead of tripping the provider's rate limit (GEO: one request per second per key).
public final class RequestPacer: Sendable {
    private let spacing: Duration
    private let nextSlot: Mutex<ContinuousClock.Instant>

    /// Creates a pacer.
    public init(spacing: Duration) {
        self.spacing = spacing
        nextSlot = Mutex(.now - spacing)
    }

    /// Waits for the next free slot and takes it; throws `CancellationError` if the call
    /// is cancelled while queued, and returns `false` without waiting when the slot would
    /// come after `deadline`.
    public func acquire(before deadline: ContinuousClock.Instant) async throws -> Bool {
        let slot: ContinuousClock.Instant? = nextSlot.withLock { next in
            let slot = max(ContinuousClock.now, next)
            guard slot < deadline else { return nil }
            next = slot + spacing
            return slot
        }
        guard let slot else { return false }
        if slot > .now { try await Task.sleep(until: slot, clock: .continuous) }
        return true
    }

    /// Pushes every queued request back until `instant` (after a 429 with `Retry-After`).
    public func hold(until instant: ContinuousClock.Instant) {
        nextSlot.withLock { next in next = max(next, instant) }
    }
}
