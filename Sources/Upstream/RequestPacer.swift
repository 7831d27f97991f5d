import Locking
import Wire

/// Keeps requests to one provider at least `spacing` apart, as the provider sees them
/// (GEO: one request per second per key), so parallel tool calls queue instead of
/// tripping its rate limit.
///
/// One request is in flight at a time, and the next may start only `spacing` after the
/// previous one finished. The provider received a request before its answer came back, so
/// however late a request was scheduled or delivered, the next arrives at least `spacing`
/// after it. (Spacing request starts instead failed under load: a start delayed by 150 ms
/// of scheduling put two arrivals 0.94 s apart.)
public final class RequestPacer: Sendable {
    private struct State {
        var inFlight = false
        var lastFinished: ContinuousClock.Instant?
        var heldUntil: ContinuousClock.Instant?
    }

    private let spacing: Duration
    private let clock: any ServerClock
    private let state = Locked(State())

    /// How often a waiter looks again while another request is in flight.
    private static let recheck: Duration = .milliseconds(10)

    /// Creates a pacer timed by `clock`.
    public init(spacing: Duration, clock: any ServerClock = SystemClock()) {
        self.spacing = spacing
        self.clock = clock
    }

    /// Waits for the provider's turn and takes it; call `finish()` when the request is over.
    ///
    /// Throws `CancellationError` if the call is cancelled while queued; returns `false` at
    /// once when the turn would come after `deadline`.
    public func acquire(before deadline: ContinuousClock.Instant) async throws(CancellationError) -> Bool {
        while true {
            let now = clock.now
            let wait: ContinuousClock.Instant? = state.withLock { state in
                var earliest = now
                if let lastFinished = state.lastFinished { earliest = max(earliest, lastFinished + spacing) }
                if let heldUntil = state.heldUntil { earliest = max(earliest, heldUntil) }
                if state.inFlight { earliest = max(earliest, now + RequestPacer.recheck) }
                guard earliest <= now else { return earliest }
                state.inFlight = true
                return nil
            }
            guard let wait else { return true }
            guard wait < deadline || state.withLock({ $0.inFlight }) else { return false }
            if clock.now >= deadline { return false }
            try await clock.sleep(until: min(wait, deadline))
        }
    }

    /// The request taken with `acquire` is over (answered, failed or cancelled).
    public func finish() {
        let now = clock.now
        state.withLock { state in
            state.inFlight = false
            state.lastFinished = now
        }
    }

    /// Until when a `Retry-After` holds requests back, if it does.
    public var heldUntil: ContinuousClock.Instant? { state.withLock { $0.heldUntil } }

    /// Holds every request back until `instant` (after a 429 with `Retry-After`).
    public func hold(until instant: ContinuousClock.Instant) {
        state.withLock { state in state.heldUntil = max(state.heldUntil ?? instant, instant) }
    }
}
