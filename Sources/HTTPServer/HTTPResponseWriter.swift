/// Writes a streamed response body; handed to a handler that answered `.stream`.
///
/// Each write returns once its bytes are in the kernel's send buffer, so a handler producing
/// faster than the client reads waits instead of piling memory up; `false` means the client
/// went away (closed, reset, or read nothing for the send timeout) and the handler should stop.
public final class HTTPResponseWriter: Sendable {
    private let server: HTTPServer
    private let connection: UInt64
    private let chunked: Bool

    init(server: HTTPServer, connection: UInt64, chunked: Bool) {
        self.server = server
        self.connection = connection
        self.chunked = chunked
    }

    /// Whether the client went away; a handler can check it between steps of long work.
    public var clientGone: Bool { !server.isOpen(connection) }

    /// Writes raw body bytes; false when the client went away.
    @discardableResult
    public func write(_ bytes: [UInt8]) async -> Bool {
        guard !bytes.isEmpty else { return !clientGone }
        let framed = chunked ? Array("\(String(bytes.count, radix: 16))\r\n".utf8) + bytes + [13, 10] : bytes
        return await withCheckedContinuation { continuation in
            server.post(
                .send(connection, framed, ends: false, close: false, completion: { continuation.resume(returning: $0) })
            )
        }
    }

    /// Writes UTF-8 text; false when the client went away.
    @discardableResult
    public func write(_ text: String) async -> Bool {
        await write(Array(text.utf8))
    }

    /// Writes one Server-Sent Event; false when the client went away.
    ///
    /// `event:` and `id:` lines when given, then each line of `data` as a `data:` line, then a
    /// blank line.
    @discardableResult
    public func sendEvent(data: String, event: String? = nil, id: String? = nil) async -> Bool {
        await write(Self.event(data: data, event: event, id: id))
    }

    /// Writes an SSE comment (`: text`); false when the client went away.
    ///
    /// Clients ignore comments: this is a keep-alive through proxies that close quiet connections.
    @discardableResult
    public func sendComment(_ text: String = "") async -> Bool {
        await write(": \(Self.singleLine(text))\n\n")
    }

    /// The text of one event; `event` and `id` lose any line breaks so they cannot start a field.
    static func event(data: String, event: String?, id: String?) -> String {
        var text = ""
        if let event { text += "event: \(singleLine(event))\n" }
        if let id { text += "id: \(singleLine(id))\n" }
        let lines = data.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        for line in lines { text += "data: \(line)\n" }
        return text + "\n"
    }

    private static func singleLine(_ text: String) -> String {
        String(text.filter { $0 != "\n" && $0 != "\r" && $0 != "\r\n" })
    }
}
