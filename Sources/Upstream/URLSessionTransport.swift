import Dispatch
import Foundation
import FoundationNetworking
import Locking

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `HTTPTransport` on URLSession (libcurl on Linux), with keep-alive connections.
public final class URLSessionTransport: HTTPTransport {
    // A global, so it is made on first use: creating a session loads and initialises
    // libcurl and its TLS libraries (about 7 MB and several milliseconds), which a server
    // that only answers `initialize` and `tools/list` should not pay for.
    private static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpMaximumConnectionsPerHost = 8
        configuration.httpShouldSetCookies = false
        return URLSession(configuration: configuration)
    }()

    /// Creates a transport.
    public init() {}

    /// Sends the request within `timeout` (the whole exchange, not just idle time).
    ///
    /// A completion handler and one timer rather than a task group racing a sleep: the
    /// group's two child tasks per call showed up in the per-call latency.
    public func send(_ request: HTTPRequest, timeout: Duration) async throws(TransportError) -> HTTPResponse {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method.rawValue
        urlRequest.timeoutInterval = max(0.001, timeout.seconds)
        for (name, value) in request.headers {
            urlRequest.setValue(value, forHTTPHeaderField: name)
        }
        if let body = request.body { urlRequest.httpBody = Data(body) }
        let exchange = Exchange()
        let finalRequest = urlRequest
        // A non-throwing continuation carrying a `Result`, so the error stays typed.
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation {
                (continuation: CheckedContinuation<Result<HTTPResponse, TransportError>, Never>) in
                let task = Self.session.dataTask(with: finalRequest) { data, response, error in
                    exchange.finish(continuation) { timedOut in
                        URLSessionTransport.outcome(data, response, error, timedOut: timedOut)
                    }
                }
                exchange.start(task, timeout: timeout)
            }
        } onCancel: {
            exchange.cancel()
        }
        return try result.get()
    }

    private static func outcome(
        _ data: Data?,
        _ response: URLResponse?,
        _ error: (any Error)?,
        timedOut: Bool
    ) -> Result<HTTPResponse, TransportError> {
        if let error {
            if timedOut { return .failure(.timedOut) }
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
        return .success(HTTPResponse(status: http.statusCode, headers: headers, body: [UInt8](data ?? Data())))
    }

    private static func map(_ error: URLError) -> TransportError {
        switch error.code {
        case .cancelled: return .cancelled
        case .timedOut: return .timedOut
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet:
            return .cannotConnect(error.localizedDescription)
        case .networkConnectionLost, .badServerResponse:
            return .connectionLost(error.localizedDescription)
        default:
            return .failed(error.localizedDescription)
        }
    }
}

/// One request's life: its task, whether it ran out of time or was cancelled, and a
/// guarantee that its continuation is resumed exactly once.
private final class Exchange: Sendable {
    private struct State {
        var task: URLSessionDataTask?
        var isCancelled = false
        var isTimedOut = false
        var isFinished = false
    }

    private let state = Locked(State())

    /// Starts the task, or cancels it at once when the call was cancelled first, and arms
    /// the deadline.
    func start(_ task: URLSessionDataTask, timeout: Duration) {
        let cancelledAlready = state.withLock { state in
            state.task = task
            return state.isCancelled
        }
        task.resume()
        if cancelledAlready {
            task.cancel()
            return
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout.seconds) { [self] in
            let expired = state.withLock { state -> URLSessionDataTask? in
                guard !state.isFinished else { return nil }
                state.isTimedOut = true
                return state.task
            }
            expired?.cancel()
        }
    }

    /// The calling task was cancelled.
    func cancel() {
        let task = state.withLock { state -> URLSessionDataTask? in
            state.isCancelled = true
            return state.task
        }
        task?.cancel()
    }

    /// Resumes the continuation once, with an outcome that knows whether the deadline passed.
    func finish(
        _ continuation: CheckedContinuation<Result<HTTPResponse, TransportError>, Never>,
        _ outcome: (_ timedOut: Bool) -> Result<HTTPResponse, TransportError>
    ) {
        let (first, timedOut) = state.withLock { state -> (Bool, Bool) in
            defer { state.isFinished = true }
            return (!state.isFinished, state.isTimedOut)
        }
        if first { continuation.resume(returning: outcome(timedOut)) }
    }
}
