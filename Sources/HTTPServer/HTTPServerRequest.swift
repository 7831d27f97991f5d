/// One complete HTTP request, head and body, as the server hands it to the handler.
public struct HTTPServerRequest: Sendable, Equatable {
    /// The method, as sent (`GET`, `POST`, `DELETE` …).
    public var method: String
    /// The request target as sent, such as `/mcp?x=1`.
    public var target: String
    /// The HTTP version's minor number: 1 for HTTP/1.1, 0 for HTTP/1.0.
    public var minorVersion: Int
    /// The header fields, in order.
    public var headers: HTTPHeaders
    /// The body, already de-chunked; empty when there was none.
    public var body: [UInt8]
    /// The peer's address as `host:port` (`[::1]:5000` for IPv6), for logs.
    public var remoteAddress: String

    /// Creates a request; the server does this, tests may too.
    public init(
        method: String,
        target: String,
        minorVersion: Int = 1,
        headers: HTTPHeaders = [:],
        body: [UInt8] = [],
        remoteAddress: String = ""
    ) {
        self.method = method
        self.target = target
        self.minorVersion = minorVersion
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
    }

    /// The target's path, without the query.
    public var path: String {
        target.firstIndex(of: "?").map { String(target[..<$0]) } ?? target
    }

    /// The target's query (after `?`), or nil when there is none.
    public var query: String? {
        target.firstIndex(of: "?").map { String(target[target.index(after: $0)...]) }
    }

    /// Whether the connection stays open after the response: HTTP/1.1 unless
    /// `Connection: close`; HTTP/1.0 only with `Connection: keep-alive`.
    public var keepAlive: Bool {
        if headers.contains(token: "close", in: "Connection") { return false }
        return minorVersion >= 1 || headers.contains(token: "keep-alive", in: "Connection")
    }
}
