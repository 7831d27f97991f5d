import Foundation

/// A request as the stand-in received it.
public struct RecordedRequest: Sendable {
    /// The method.
    public let method: String
    /// The path as sent (percent-encoded).
    public let path: String
    /// The query string as sent, without `?`.
    public let rawQuery: String
    /// Header fields, names lowercased.
    public let headers: [String: String]
    /// The body bytes.
    public let body: [UInt8]
    /// When it arrived.
    public let receivedAt: Date

    /// The path with percent-escapes decoded.
    public var decodedPath: String { path.removingPercentEncoding ?? path }

    /// The query items, decoded, in order.
    public var queryItems: [(name: String, value: String)] {
        rawQuery.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            let decode = { (text: String) in
                text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? text
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// The query as a dictionary (the last value of a repeated name wins).
    public var query: [String: String] {
        Dictionary(queryItems.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    /// The body as text.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as a JSON object, when it is one.
    public var bodyObject: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }

    var keepAlive: Bool { headers["connection"]?.lowercased() != "close" }
}

/// What the stand-in does with a request.
public struct StubResponse: Sendable {
    /// How the exchange ends.
    public enum Action: Sendable {
        /// Send the response.
        case respond
        /// Close the connection without answering.
        case dropConnection
        /// Send these bytes, then close.
        case rawBytes([UInt8])
        /// Write whatever the closure writes (it gets a writer that says whether the
        /// client still reads), then close: an endless body, a slow drip.
        case stream(@Sendable (_ write: ([UInt8]) -> Bool) -> Void)
    }

    /// The status.
    public var status: Int
    /// Header fields.
    public var headers: [String: String]
    /// The body.
    public var body: [UInt8]
    /// Seconds to wait before answering.
    public var delay: TimeInterval
    /// How the exchange ends.
    public var action: Action

    /// Creates a response.
    public init(
        status: Int,
        headers: [String: String] = [:],
        body: [UInt8] = [],
        delay: TimeInterval = 0,
        action: Action = .respond
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.delay = delay
        self.action = action
    }

    /// A JSON response from a Foundation JSON object.
    public static func json(
        _ status: Int = 200,
        _ object: Any,
        headers: [String: String] = [:],
        delay: TimeInterval = 0
    ) -> StubResponse {
        // No .sortedKeys: it compares keys through a shared ICU collator that is not
        // thread-safe, and the stand-in answers from many threads (it crashed under a burst).
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes])) ?? Data()
        return StubResponse(
            status: status,
            headers: headers.merging(["Content-Type": "application/json; charset=utf-8"]) { own, _ in own },
            body: [UInt8](data),
            delay: delay
        )
    }

    /// A response with a raw body and content type.
    public static func text(
        _ status: Int,
        _ body: String,
        contentType: String = "text/html",
        delay: TimeInterval = 0
    ) -> StubResponse {
        StubResponse(status: status, headers: ["Content-Type": contentType], body: Array(body.utf8), delay: delay)
    }

    /// Closes the connection without a response.
    public static let drop = StubResponse(status: 0, action: .dropConnection)

    private static let reasons = [
        200: "OK", 400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden", 404: "Not Found",
        429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
        504: "Gateway Timeout",
    ]

    /// The same answer, after which the connection is closed (`Connection: close`), so
    /// that the client's next request opens a fresh one.
    public var closingTheConnection: StubResponse {
        var copy = self
        copy.action = .rawBytes(serialized(keepAlive: false))
        return copy
    }

    /// The response bytes.
    func serialized(keepAlive: Bool) -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(StubResponse.reasons[status] ?? "Status")\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(body.count)\r\n"
        head += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n"
        return Array(head.utf8) + body
    }
}
