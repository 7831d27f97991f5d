import Locking

/// Whether a paid call's request has left for the provider, decided race-free against
/// the client's cancellation.
///
/// A request that has left may be billed whatever the client does next, so it is allowed
/// to finish and its cost is settled; a cancellation that comes first stops the call before
/// anything is sent. Once stopped, no further request of the call leaves (a polling flow
/// ends after the request in flight).
public final class SendGate: Sendable {
    private struct State {
        var sent = false
        var stopped = false
    }

    private let state = Locked(State())

    /// Creates an open gate.
    public init() {}

    /// Marks a request as leaving now; `false` when the call was stopped first, and then
    /// nothing may be sent.
    public func markSent() -> Bool {
        state.withLock { state in
            guard !state.stopped else { return false }
            state.sent = true
            return true
        }
    }

    /// Stops the call: no further request leaves.
    ///
    /// Returns `true` when nothing was sent, so the call can be cancelled outright.
    public func stop() -> Bool {
        state.withLock { state in
            state.stopped = true
            return !state.sent
        }
    }

    /// Whether any request of the call has left.
    public var wasSent: Bool { state.withLock { $0.sent } }
}
