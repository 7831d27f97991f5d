/// What a handler answers: a whole body, or a stream it writes itself.
public struct HTTPServerResponse: Sendable {
    /// How the body is produced.
    public enum Body: Sendable {
        /// The whole body at once; the server adds `Content-Length`.
        case bytes([UInt8])
        /// A body written piece by piece (Server-Sent Events); the server frames it chunked
        /// and ends it when the closure returns.
        case stream(@Sendable (HTTPResponseWriter) async -> Void)
    }

    /// The status code.
    public var status: Int
    /// The header fields.
    ///
    /// The server sets `Content-Length`, `Transfer-Encoding` and
    /// `Connection` itself and drops any the handler sets.
    public var headers: HTTPHeaders
    /// The body.
    public var body: Body

    /// A response with a whole body.
    public init(status: Int, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = .bytes(body)
    }

    /// A response with a whole UTF-8 text body.
    public init(status: Int, headers: HTTPHeaders = [:], text: String) {
        self.init(status: status, headers: headers, body: Array(text.utf8))
    }

    /// A streamed response; `write` runs after the head is sent, and the stream ends when it returns.
    public static func stream(
        status: Int = 200,
        headers: HTTPHeaders = ["Content-Type": "text/event-stream", "Cache-Control": "no-cache"],
        _ write: @escaping @Sendable (HTTPResponseWriter) async -> Void
    ) -> HTTPServerResponse {
        var response = HTTPServerResponse(status: status, headers: headers)
        response.body = .stream(write)
        return response
    }

    /// The reason phrase for a status code, for the status line.
    static func reason(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 413: "Content Too Large"
        case 415: "Unsupported Media Type"
        case 417: "Expectation Failed"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        default: "Status"
        }
    }

    /// The status line and headers, with the server's framing fields.
    static func head(status: Int, headers: HTTPHeaders, framing: HTTPHeaders) -> [UInt8] {
        var text = "HTTP/1.1 \(status) \(reason(status))\r\n"
        for field in headers
        where !["content-length", "transfer-encoding", "connection"].contains(where: {
            HTTPHeaders.same($0, field.name)
        }) {
            // A handler's CR or LF in a field would split the response; drop such a field.
            guard !field.name.utf8.contains(where: { $0 == 13 || $0 == 10 }),
                !field.value.utf8.contains(where: { $0 == 13 || $0 == 10 })
            else { continue }
            text += "\(field.name): \(field.value)\r\n"
        }
        for field in framing { text += "\(field.name): \(field.value)\r\n" }
        text += "\r\n"
        return Array(text.utf8)
    }

    /// A short plain-text error response the server itself sends (400, 408, 413, 431, 503 …).
    static func serverError(_ status: Int) -> [UInt8] {
        let body = "\(reason(status))\n"
        return head(
            status: status,
            headers: ["Content-Type": "text/plain; charset=utf-8"],
            framing: ["Content-Length": "\(body.utf8.count)", "Connection": "close"]
        ) + Array(body.utf8)
    }
}
