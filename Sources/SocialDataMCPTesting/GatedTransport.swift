import Locking
import Upstream
import Wire

/// A transport whose requests wait until the test opens the gate, so a test can hold
/// calls in flight for as long as it needs and observe arrivals and cancellations as
/// events.
public final class GatedTransport: HTTPTransport {
    private struct Held {
        let id: Int
        let continuation: CheckedContinuation<Result<HTTPResponse, TransportError>, Never>
    }

    private struct Watcher {
        let arrivals: Int
        let cancellations: Int
        let continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var held: [Held] = []
        var isOpen = false
        var arrivals = 0
        var cancellations = 0
        var watchers: [Watcher] = []
    }

    private let state = Locked(State())
    private let response: HTTPResponse

    /// Creates a closed gate whose released requests answer `body`.
    public init(answering body: JSONValue = ["success": true, "data": ["id": "1", "nickname": "博主"]]) {
        response = HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: body.jsonBytes)
    }

    /// Requests received so far.
    public var arrivals: Int { state.withLock { $0.arrivals } }

    /// How many requests were cancelled while they waited.
    public var cancellations: Int { state.withLock { $0.cancellations } }

    /// Waits at the gate, then answers (or reports the cancellation).
    public func send(_ request: HTTPRequest, timeout: Duration) async throws(TransportError) -> HTTPResponse {
        // DataNexus's price list, read once before the first paid call: not what is gated.
        if request.url.path.contains("/billing/pricing/") {
            return HTTPResponse(status: 404, headers: [:], body: Array(#"{"success":false,"error":"not here"}"#.utf8))
        }
        let (id, ready) = state.withLock { state -> (Int, [Watcher]) in
            state.arrivals += 1
            return (state.arrivals, Self.satisfied(&state))
        }
        for watcher in ready { watcher.continuation.resume() }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation {
                (continuation: CheckedContinuation<Result<HTTPResponse, TransportError>, Never>) in
                let answerNow = state.withLock { state -> Bool in
                    if state.isOpen { return true }
                    state.held.append(Held(id: id, continuation: continuation))
                    return false
                }
                if answerNow { continuation.resume(returning: .success(response)) }
            }
        } onCancel: {
            let (held, ready) = state.withLock { state -> (Held?, [Watcher]) in
                guard let index = state.held.firstIndex(where: { $0.id == id }) else { return (nil, []) }
                state.cancellations += 1
                return (state.held.remove(at: index), Self.satisfied(&state))
            }
            held?.continuation.resume(returning: .failure(.cancelled))
            for watcher in ready { watcher.continuation.resume() }
        }
        return try result.get()
    }

    /// Answers the oldest held request.
    public func releaseOne() {
        let held = state.withLock { $0.held.isEmpty ? nil : $0.held.removeFirst() }
        held?.continuation.resume(returning: .success(response))
    }

    /// Answers every held request and every later one at once.
    public func open() {
        let held = state.withLock { state -> [Held] in
            state.isOpen = true
            defer { state.held = [] }
            return state.held
        }
        for request in held { request.continuation.resume(returning: .success(response)) }
    }

    /// Returns once at least `arrivals` requests arrived and `cancellations` were cancelled.
    public func wait(arrivals: Int = 0, cancellations: Int = 0) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if state.arrivals >= arrivals, state.cancellations >= cancellations { return true }
                state.watchers.append(
                    Watcher(arrivals: arrivals, cancellations: cancellations, continuation: continuation)
                )
                return false
            }
            if ready { continuation.resume() }
        }
    }

    private static func satisfied(_ state: inout State) -> [Watcher] {
        let (arrivals, cancellations) = (state.arrivals, state.cancellations)
        let ready = state.watchers.filter { $0.arrivals <= arrivals && $0.cancellations <= cancellations }
        state.watchers.removeAll { $0.arrivals <= arrivals && $0.cancellations <= cancellations }
        return ready
    }
}
