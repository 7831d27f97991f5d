import Locking

/// Whether a paid call's request has left for the provider, decided race-free against
/// the client's cancellation.
///
/// A request that has left may be billed whatever the client does next, so it is allowed
/// to finish and its cost is settled; a cancellation that comes while nothing is in flight
/// stops the call at once. Once stopped, no further request of the call leaves: a polling
/// flow ends when the request in flight returns.
public final class SendGate: Sendable {
    private struct State {
        var sent = false
        var stopped = false
        var inFlight = 0
        var cancel: (@Sendable () -> Void)?
    }

    private let state = Locked(State())
    private let onSend: @Sendable () -> Void

    /// Creates an open gate; `onSend` runs once, right before the call's first request
    /// leaves (the spend gate notes there that the call can no longer be given back).
    public init(onSend: @escaping @Sendable () -> Void = {}) {
        self.onSend = onSend
    }

    /// Sets what stops the call's work (cancelling its task), run once the gate is stopped
    /// and no request is in flight.
    public func onStop(_ cancel: @escaping @Sendable () -> Void) {
        let stoppedAlready = state.withLock { state in
            state.cancel = cancel
            return state.stopped && state.inFlight == 0
        }
        if stoppedAlready { cancel() }
    }

    /// Marks a request as leaving now; `false` when the call was stopped first, and then
    /// nothing may be sent.
    public func markSent() -> Bool {
        let first = state.withLock { state -> Bool? in
            guard !state.stopped else { return nil }
            let first = !state.sent
            state.sent = true
            state.inFlight += 1
            return first
        }
        guard let first else { return false }
        // Before returning, so before the request can leave.
        if first { onSend() }
        return true
    }

    /// Marks a request's answer (or failure) as back.
    public func markReturned() {
        let cancel = state.withLock { state -> (@Sendable () -> Void)? in
            state.inFlight -= 1
            return state.stopped && state.inFlight == 0 ? state.cancel : nil
        }
        cancel?()
    }

    /// Stops the call: no further request leaves, and its work is cancelled as soon as no
    /// request is in flight.
    public func stop() {
        let cancel = state.withLock { state -> (@Sendable () -> Void)? in
            state.stopped = true
            return state.inFlight == 0 ? state.cancel : nil
        }
        cancel?()
    }

    /// Whether any request of the call has left.
    public var wasSent: Bool { state.withLock { $0.sent } }
}
