import Catalog
import Foundation

/// An upstream HTTP request, fully built: URL with query, headers, body.
public struct HTTPRequest: Sendable {
    /// The method.
    public let method: HTTPMethod
    /// The absolute URL, query included.
    public let url: URL
    /// Header fields.
    public let headers: [String: String]
    /// The JSON body of a POST.
    public let body: [UInt8]?
    /// The most bytes of body the answer may have, counted after decompression: past it
    /// the transport cancels the request (a gzip bomb or an endless body must not take
    /// the server's memory).
    public let maximumResponseBytes: Int

    /// The cap when no setting says otherwise: 64 MiB, far above any documented answer.
    public static let defaultMaximumResponseBytes = 64 << 20

    /// Creates a request.
    public init(
        method: HTTPMethod,
        url: URL,
        headers: [String: String],
        body: [UInt8]?,
        maximumResponseBytes: Int = HTTPRequest.defaultMaximumResponseBytes
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.maximumResponseBytes = max(1, maximumResponseBytes)
    }
}

/// An upstream HTTP response.
public struct HTTPResponse: Sendable {
    /// The status code.
    public let status: Int
    /// Header fields with lowercased names.
    public let headers: [String: String]
    /// The body bytes.
    public let body: [UInt8]

    /// Creates a response; header names are lowercased here, once.
    public init(status: Int, headers: [String: String], body: [UInt8]) {
        self.status = status
        self.headers = Dictionary(
            headers.map { ($0.key.lowercased(), $0.value) },
            uniquingKeysWith: { first, _ in first }
        )
        self.body = body
    }

    /// The media type without parameters, lowercased (`application/json`).
    public var mediaType: String? {
        headers["content-type"]?.split(separator: ";").first.map {
            $0.trimmed.lowercased()
        }
    }
}

/// Why a request got no HTTP response.
public enum TransportError: Error, Sendable, Equatable {
    /// The time budget ran out.
    case timedOut
    /// No connection was made: the request never reached the provider.
    case cannotConnect(String)
    /// The connection broke after the request may have been sent.
    case connectionLost(String)
    /// Anything else the HTTP stack reports.
    case failed(String)
    /// The calling task was cancelled (the client cancelled the call).
    case cancelled
    /// The answer's body passed `limitBytes` (after decompression) and the request was
    /// cancelled; the provider had already answered, so it may have charged.
    case responseTooLarge(limitBytes: Int)
}

/// The seam between the server and the network: URLSession in production, a closure or
/// a loopback server in tests.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the response.
    ///
    /// Typed, so the caller can tell a cancellation (`.cancelled`) from a failure: an
    /// error of unknown origin is never mistaken for the client cancelling the call.
    func send(_ request: HTTPRequest, timeout: Duration) async throws(TransportError) -> HTTPResponse
}
