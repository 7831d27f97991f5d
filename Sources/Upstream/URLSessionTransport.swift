import Dispatch
import Foundation
import Locking

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `HTTPTransport` on URLSession (libcurl on Linux), with keep-alive connections.
///
/// Every request goes through one session delegate rather than a completion handler, for
/// two guarantees a completion handler cannot give: a redirect is never followed (the key
/// in the request's headers would go to whatever host `Location` names), and a body is
/// counted as it arrives, so a gzip bomb or an endless body is cut off at the request's
/// cap instead of being buffered whole.
public final class URLSessionTransport: HTTPTransport {
    // The delegate that routes each task's events to its exchange.
    private static let delegate = SessionDelegate()

    // A global, so it is made on first use: creating a session loads and initialises
    // libcurl and its TLS libraries (about 7 MB and several milliseconds), which a server
    // that only answers `initialize` and `tools/list` should not pay for.
    private static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpMaximumConnectionsPerHost = 8
        configuration.httpShouldSetCookies = false
        return URLSession(configuration: configuration, delegate: delegate, delegateQueue: DelegateQueue())
    }()

    /// Creates a transport.
    public init() {}

    /// Sends the request within `timeout` (the whole exchange, not just idle time).
    ///
    /// A redirect is answered as it came (3xx with its `Location`), never followed; a body
    /// past `request.maximumResponseBytes` ends the exchange with `.responseTooLarge`.
    public func send(_ request: HTTPRequest, timeout: Duration) async throws(TransportError) -> HTTPResponse {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method.rawValue
        urlRequest.timeoutInterval = max(0.001, timeout.seconds)
        for (name, value) in request.headers {
            urlRequest.setValue(value, forHTTPHeaderField: name)
        }
        if let body = request.body { urlRequest.httpBody = Data(body) }
        let exchange = Exchange(limit: request.maximumResponseBytes)
        let finalRequest = urlRequest
        // A non-throwing continuation carrying a `Result`, so the error stays typed.
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation {
                (continuation: CheckedContinuation<Result<HTTPResponse, TransportError>, Never>) in
                exchange.await(continuation)
                let task = Self.session.dataTask(with: finalRequest)
                Self.delegate.register(exchange, for: task)
                exchange.start(task, timeout: timeout)
            }
        } onCancel: {
            exchange.cancel()
        }
        return try result.get()
    }
}

/// Routes each task's delegate events to the exchange that sent it.
private final class SessionDelegate: NSObject, URLSessionDataDelegate, Sendable {
    private let exchanges = Locked<[Int: Exchange]>([:])

    func register(_ exchange: Exchange, for task: URLSessionTask) {
        exchanges.withLock { $0[task.taskIdentifier] = exchange }
    }

    private func exchange(_ task: URLSessionTask) -> Exchange? {
        exchanges.withLock { $0[task.taskIdentifier] }
    }

    // A provider request never follows a redirect: its headers carry the key, and the
    // new host is not the provider the user configured. The 3xx itself is the answer.
    func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest,
        completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }

    func urlSession(
        _ session: URLSession,
        dataTask: URLSessionDataTask,
        didReceive response: URLResponse,
        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
        // FoundationNetworking ignores the disposition, so a declared length past the cap
        // is cancelled here.
        let allowed = exchange(dataTask)?.received(expectedLength: response.expectedContentLength) ?? true
        if !allowed { Self.cancelLater(dataTask) }
        completionHandler(allowed ? .allow : .cancel)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        if exchange(dataTask)?.received(data) == true { Self.cancelLater(dataTask) }
    }

    /// Cancels off the delegate queue: FoundationNetworking's `cancel()` waits on the
    /// session's work queue, which may itself be waiting for room on the delegate queue.
    private static func cancelLater(_ task: URLSessionTask) {
        DispatchQueue.global().async { task.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        // Forgotten here, so the task, its buffer and the exchange are released now.
        let exchange = exchanges.withLock { $0.removeValue(forKey: task.taskIdentifier) }
        exchange?.complete(response: task.response, error: error)
    }
}

/// The session's delegate queue: serial, so a task's chunks are appended in order, and
/// cheap per callback.
///
/// FoundationNetworking hands every received chunk (up to 16 KB, decompressed) to this
/// queue without waiting. Through `OperationQueue`'s own machinery each one costs an
/// operation object, locks and a dispatch, so a fast body (a gzip bomb expands at
/// gigabytes a second over loopback) piled up hundreds of megabytes of chunks before the
/// cap was even counted. A plain serial dispatch queue keeps up with the producer. The
/// producer is never made to wait: on a two-core machine, a blocked libcurl thread and a
/// blocked canceller starved the very queue they waited for.
private final class DelegateQueue: OperationQueue, @unchecked Sendable {
    // Safe to share: a dispatch queue is thread-safe, and the property is never reassigned.
    private let serial = DispatchQueue(label: "social-data-mcp.url-session-delegate")

    override init() {
        super.init()
        maxConcurrentOperationCount = 1
    }

    override func addOperation(_ block: @escaping @Sendable () -> Void) {
        serial.async(execute: block)
    }
}

/// One request's life: its task, its body so far, whether it ran out of time, was
/// cancelled or grew past its cap, and a guarantee that its continuation is resumed
/// exactly once.
private final class Exchange: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Result<HTTPResponse, TransportError>, Never>?
        var task: URLSessionDataTask?
        var timer: (any DispatchSourceTimer)?
        // The chunks as they came, joined once at the end: an array grown by appending
        // holds its old and new storage at once (96 MiB for a body reaching 64 MiB).
        var chunks: [Data] = []
        var bodySize = 0
        var isCancelled = false
        var isTimedOut = false
        var isTooLarge = false
        var isFinished = false
    }

    private let limit: Int
    private let state = Locked(State())

    init(limit: Int) {
        self.limit = limit
    }

    /// Keeps the continuation to resume when the task completes.
    func await(_ continuation: CheckedContinuation<Result<HTTPResponse, TransportError>, Never>) {
        state.withLock { $0.continuation = continuation }
    }

    /// Starts the task, or cancels it at once when the call was cancelled first, and arms
    /// the deadline.
    func start(_ task: URLSessionDataTask, timeout: Duration) {
        // A timer source rather than `asyncAfter`: cancelled when the exchange finishes,
        // it lets go of the exchange (and the task) at once instead of holding both for
        // the whole timeout after a fast answer.
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + timeout.seconds)
        timer.setEventHandler { [weak self] in self?.expire() }
        let cancelledAlready = state.withLock { state in
            state.task = task
            state.timer = timer
            return state.isCancelled
        }
        timer.resume()
        task.resume()
        if cancelledAlready { task.cancel() }
    }

    private func expire() {
        let expired = state.withLock { state -> URLSessionDataTask? in
            guard !state.isFinished else { return nil }
            state.isTimedOut = true
            return state.task
        }
        expired?.cancel()
    }

    /// The calling task was cancelled.
    func cancel() {
        let task = state.withLock { state -> URLSessionDataTask? in
            state.isCancelled = true
            return state.task
        }
        task?.cancel()
    }

    /// The response head arrived: refuses a declared length past the cap before any body.
    func received(expectedLength: Int64) -> Bool {
        state.withLock { state in
            guard expectedLength > Int64(limit) else { return true }
            state.isTooLarge = true
            return false
        }
    }

    /// Counts a piece of the body (decompressed already) against the cap.
    ///
    /// Returns `true` the moment the cap is passed (the caller cancels the task); what was
    /// kept is dropped then, and anything later is ignored.
    func received(_ data: Data) -> Bool {
        state.withLock { state in
            guard !state.isTooLarge, !state.isFinished else { return false }
            guard state.bodySize + data.count <= limit else {
                state.isTooLarge = true
                state.chunks = []
                state.bodySize = 0
                return true
            }
            state.chunks.append(data)
            state.bodySize += data.count
            return false
        }
    }

    /// The task is over: resumes the continuation once with its outcome and lets go of
    /// the task, the timer and the body.
    func complete(response: URLResponse?, error: (any Error)?) {
        let finished = state.withLock {
            state -> (
                CheckedContinuation<Result<HTTPResponse, TransportError>, Never>, Result<HTTPResponse, TransportError>
            )? in
            guard !state.isFinished, let continuation = state.continuation else { return nil }
            state.isFinished = true
            state.timer?.cancel()
            state.timer = nil
            state.task = nil
            state.continuation = nil
            var body = [UInt8]()
            body.reserveCapacity(state.bodySize)
            for chunk in state.chunks { body.append(contentsOf: chunk) }
            state.chunks = []
            return (continuation, Exchange.outcome(body, response, error, state, limit: limit))
        }
        if let (continuation, outcome) = finished { continuation.resume(returning: outcome) }
    }

    private static func outcome(
        _ body: [UInt8],
        _ response: URLResponse?,
        _ error: (any Error)?,
        _ state: State,
        limit: Int
    ) -> Result<HTTPResponse, TransportError> {
        // The cap is checked first: the task was cancelled because of it, and the
        // cancellation error it reports is not the client's.
        if state.isTooLarge { return .failure(.responseTooLarge(limitBytes: limit)) }
        if let error {
            if state.isTimedOut { return .failure(.timedOut) }
            if let urlError = error as? URLError { return .failure(map(urlError)) }
            return .failure(.failed(error.localizedDescription))
        }
        guard let http = response as? HTTPURLResponse else {
            return .failure(.failed("not an HTTP response"))
        }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name] = value }
        }
        return .success(HTTPResponse(status: http.statusCode, headers: headers, body: body))
    }

    private static func map(_ error: URLError) -> TransportError {
        switch error.code {
        case .cancelled: return .cancelled
        case .timedOut: return .timedOut
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet:
            return .cannotConnect(TransportSentence.describe(error))
        case .networkConnectionLost, .badServerResponse:
            return .connectionLost(TransportSentence.describe(error))
        default:
            return .failed(TransportSentence.describe(error))
        }
    }
}
