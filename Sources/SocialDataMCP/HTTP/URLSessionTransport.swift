import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `HTTPTransport` on URLSession (libcurl on Linux), with keep-alive connections.
public final class URLSessionTransport: HTTPTransport {
    // Made on first use: creating a session costs start-up time that a server that only
    // answers `initialize` and `tools/list` should not pay.
    private let session: URLSession = {
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
    public func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method.rawValue
        urlRequest.timeoutInterval = max(0.001, timeout.seconds)
        for (name, value) in request.headers {
            urlRequest.setValue(value, forHTTPHeaderField: name)
        }
        if let body = request.body { urlRequest.httpBody = Data(body) }
        let session = self.session
        let finalRequest = urlRequest
        return try await withDeadline(timeout) {
            do {
                let (data, response) = try await session.data(for: finalRequest)
                guard let http = response as? HTTPURLResponse else {
                    throw TransportError.failed("not an HTTP response")
                }
                var headers: [String: String] = [:]
                for (name, value) in http.allHeaderFields {
                    if let name = name as? String, let value = value as? String { headers[name] = value }
                }
                return HTTPResponse(status: http.statusCode, headers: headers, body: [UInt8](data))
            } catch let error as URLError {
                throw URLSessionTransport.map(error)
            }
        }
    }

    private static func map(_ error: URLError) -> any Error {
        switch error.code {
        case .cancelled: return CancellationError()
        case .timedOut: return TransportError.timedOut
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet:
            return TransportError.cannotConnect(error.localizedDescription)
        case .networkConnectionLost, .badServerResponse:
            return TransportError.connectionLost(error.localizedDescription)
        default:
            return TransportError.failed(error.localizedDescription)
        }
    }
}

/// Runs `operation`, throwing `TransportError.timedOut` if it has not finished within
/// `timeout`; the loser of the race is cancelled.
func withDeadline<Value: Sendable>(
    _ timeout: Duration,
    _ operation: @escaping @Sendable () async throws -> Value
) async throws -> Value {
    try await withThrowingTaskGroup(of: Value.self) { group in
        group.addTask(operation: operation)
        group.addTask {
            try await Task.sleep(for: timeout)
            throw TransportError.timedOut
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw TransportError.timedOut }
        return first
    }
}

extension Duration {
    /// The duration in seconds as a `Double`.
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
