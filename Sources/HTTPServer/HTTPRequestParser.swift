/// Turns the bytes of one connection into requests, enforcing the size limits as it goes.
///
/// Pure and incremental: the connection appends what `recv` returned and asks for the next
/// event, so every limit can be tested in memory. Strict where leniency lets a proxy and the
/// server disagree about where a request ends (request smuggling): CRLF only, no obs-fold,
/// no space before a colon, one Content-Length value, no Content-Length with
/// Transfer-Encoding, `chunked` as the only transfer coding.
struct HTTPRequestParser {
    /// What the parser can say after bytes arrive.
    enum Event: Equatable {
        /// A request is not complete yet.
        case needMore
        /// The head asked for `100 Continue` before sending its body; said once per request.
        case expectsContinue
        /// A complete request.
        case request(HTTPServerRequest)
        /// The bytes are not a request the server will serve: answer `status` and close.
        case failure(status: Int)
    }

    /// How far the current request has come, for the connection's timeouts.
    enum Phase: Equatable {
        /// No byte of the next request yet.
        case idle
        /// Some of the head has arrived.
        case head
        /// The head is complete; the body is on its way.
        case body
    }

    private enum State {
        case head
        case fixedBody(head: Head, remaining: Int)
        case chunkSize(head: Head)
        case chunkData(head: Head, remaining: Int)
        case trailers(head: Head, bytes: Int)
        case failed(status: Int)
    }

    private struct Head {
        var method: String
        var target: String
        var minorVersion: Int
        var headers: HTTPHeaders
    }

    private let limits: HTTPServerConfiguration
    private var buffer: [UInt8] = []
    /// Bytes before this index are consumed; compacted lazily so each byte is copied O(1) times.
    private var start = 0
    /// Where to resume the search for the end of the head, so a slow head is not rescanned.
    private var scanFrom = 0
    private var state = State.head
    private var body: [UInt8] = []
    private var continuePending = false

    init(limits: HTTPServerConfiguration) {
        self.limits = limits
    }

    /// The bytes received and not yet part of a returned request.
    var bufferedCount: Int { buffer.count - start }

    /// How far the current request has come.
    var phase: Phase {
        switch state {
        case .head: bufferedCount == 0 ? .idle : .head
        case .failed: .head
        default: .body
        }
    }

    /// Adds bytes as they came off the socket.
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if start > 0, start >= buffer.count / 2 {
            buffer.removeSubrange(0..<start)
            scanFrom -= start
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Adds bytes (tests).
    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// The next thing the parser can say with the bytes it has.
    mutating func next() -> Event {
        while true {
            switch state {
            case .failed(let status):
                return .failure(status: status)
            case .head:
                guard let event = parseHead() else { continue }
                return event
            case .fixedBody(let head, let remaining):
                if continuePending {
                    continuePending = false
                    return .expectsContinue
                }
                let available = min(remaining, bufferedCount)
                body.append(contentsOf: buffer[start..<start + available])
                start += available
                if available < remaining {
                    state = .fixedBody(head: head, remaining: remaining - available)
                    return .needMore
                }
                return finish(head)
            case .chunkSize(let head):
                if continuePending {
                    continuePending = false
                    return .expectsContinue
                }
                guard let event = parseChunkSize(head) else { continue }
                return event
            case .chunkData(let head, let remaining):
                guard bufferedCount >= remaining + 2 else { return .needMore }
                body.append(contentsOf: buffer[start..<start + remaining])
                guard buffer[start + remaining] == 13, buffer[start + remaining + 1] == 10 else { return fail(400) }
                start += remaining + 2
                state = .chunkSize(head: head)
            case .trailers(let head, let bytes):
                guard let lineEnd = crlf(from: start) else {
                    return bytes + bufferedCount > limits.maxHeadBytes ? fail(431) : .needMore
                }
                let length = lineEnd - start
                start = lineEnd + 2
                if length == 0 { return finish(head) }
                guard bytes + length + 2 <= limits.maxHeadBytes else { return fail(431) }
                state = .trailers(head: head, bytes: bytes + length + 2)
            }
        }
    }

    // MARK: - Head

    /// Parses the head when it is complete; nil means the state moved on and the caller loops.
    private mutating func parseHead() -> Event? {
        // RFC 9112 §2.2: a server SHOULD ignore empty lines before the request line.
        while bufferedCount >= 2, buffer[start] == 13, buffer[start + 1] == 10 {
            start += 2
        }
        scanFrom = max(scanFrom, start)
        guard let end = headEnd() else {
            return bufferedCount > limits.maxHeadBytes ? fail(431) : .needMore
        }
        guard end - start + 4 <= limits.maxHeadBytes else { return fail(431) }
        let headBytes = Array(buffer[start..<end])
        start = end + 4
        scanFrom = start
        switch Self.parse(head: headBytes, limits: limits) {
        case .failure(let status):
            return fail(status)
        case .success(let parsed):
            return startBody(parsed.head, framing: parsed.framing, expectsContinue: parsed.expectsContinue)
        }
    }

    private mutating func startBody(_ head: Head, framing: Framing, expectsContinue: Bool) -> Event? {
        body = []
        switch framing {
        case .none:
            return finish(head)
        case .length(let length):
            continuePending = expectsContinue
            state = .fixedBody(head: head, remaining: length)
        case .chunked:
            continuePending = expectsContinue
            state = .chunkSize(head: head)
        }
        return nil
    }

    private mutating func headEnd() -> Int? {
        guard bufferedCount >= 4 else { return nil }
        var index = max(scanFrom, start)
        let last = buffer.count - 4
        while index <= last {
            if buffer[index] == 13, buffer[index + 1] == 10, buffer[index + 2] == 13, buffer[index + 3] == 10 {
                return index
            }
            index += 1
        }
        scanFrom = max(start, buffer.count - 3)
        return nil
    }

    private enum Framing {
        case none
        case length(Int)
        case chunked
    }

    private struct ParsedHead {
        var head: Head
        var framing: Framing
        var expectsContinue: Bool
    }

    private enum HeadResult {
        case success(ParsedHead)
        case failure(Int)
    }

    /// Parses a head (without its final CRLF CRLF).
    private static func parse(head bytes: [UInt8], limits: HTTPServerConfiguration) -> HeadResult {
        // Bare CR, bare LF and NUL are where parsers disagree; refuse them outright.
        for (index, byte) in bytes.enumerated() {
            switch byte {
            case 0: return .failure(400)
            case 13: if index + 1 >= bytes.count || bytes[index + 1] != 10 { return .failure(400) }
            case 10: if index == 0 || bytes[index - 1] != 13 { return .failure(400) }
            default: break
            }
        }
        var lines = bytes.split(separator: 10, omittingEmptySubsequences: false).map { line in
            // The head ends before its final CRLF CRLF, so the last line has no CR to drop.
            line.last == 13 ? line.dropLast() : line
        }
        guard !lines.isEmpty else { return .failure(400) }
        let requestLine = lines.removeFirst()
        guard lines.count <= limits.maxHeaderCount else { return .failure(431) }
        let parts = requestLine.split(separator: 32, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy(isTokenByte) else { return .failure(400) }
        let target = parts[1]
        guard !target.isEmpty, target.allSatisfy({ $0 > 32 && $0 < 127 }) else { return .failure(400) }
        guard target.first == 47 || target.elementsEqual([42]) || target.starts(with: Array("http".utf8)) else {
            return .failure(400)
        }
        let minorVersion: Int
        switch Array(parts[2]) {
        case Array("HTTP/1.1".utf8): minorVersion = 1
        case Array("HTTP/1.0".utf8): minorVersion = 0
        case let version where version.count == 8 && version.starts(with: Array("HTTP/".utf8)):
            return .failure(505)
        default: return .failure(400)
        }
        var headers = HTTPHeaders()
        for line in lines {
            // obs-fold (a line starting with whitespace) is refused (RFC 9112 §5.2).
            guard let colon = line.firstIndex(of: 58), colon > line.startIndex else { return .failure(400) }
            let name = line[line.startIndex..<colon]
            guard name.allSatisfy(isTokenByte) else { return .failure(400) }
            let value = line[(colon + 1)...]
            guard value.allSatisfy({ $0 == 9 || $0 >= 32 && $0 != 127 }) else { return .failure(400) }
            headers.add(
                String(decoding: name, as: UTF8.self),
                String(String(decoding: value, as: UTF8.self).trimmingSpaces)
            )
        }
        if minorVersion == 1, headers.values(for: "Host").count != 1 { return .failure(400) }
        let expectation = headers.values(for: "Expect")
        let expectsContinue = expectation.contains { HTTPHeaders.same($0, "100-continue") }
        if !expectation.isEmpty, !expectsContinue { return .failure(417) }
        let head = Head(
            method: String(decoding: parts[0], as: UTF8.self),
            target: String(decoding: target, as: UTF8.self),
            minorVersion: minorVersion,
            headers: headers
        )
        let codings = headers.values(for: "Transfer-Encoding")
        let lengths = headers.values(for: "Content-Length").flatMap { $0.split(separator: ",") }.map {
            $0.trimmingSpaces
        }
        if !codings.isEmpty {
            guard lengths.isEmpty, minorVersion == 1 else { return .failure(400) }
            let tokens = codings.flatMap { $0.split(separator: ",") }.map { $0.trimmingSpaces }
            guard tokens.count == 1, let only = tokens.first, HTTPHeaders.same(only, "chunked") else {
                return .failure(501)
            }
            return .success(ParsedHead(head: head, framing: .chunked, expectsContinue: expectsContinue))
        }
        guard let first = lengths.first else {
            return .success(ParsedHead(head: head, framing: .none, expectsContinue: false))
        }
        guard lengths.allSatisfy({ $0 == first }), !first.isEmpty, first.count <= 18,
            first.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let length = Int(first)
        else { return .failure(400) }
        guard length <= limits.maxBodyBytes else { return .failure(413) }
        let framing: Framing = length == 0 ? .none : .length(length)
        return .success(ParsedHead(head: head, framing: framing, expectsContinue: expectsContinue && length > 0))
    }

    /// RFC 9110 §5.6.2 tchar.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 48...57, 65...90, 97...122: true
        case 33, 35, 36, 37, 38, 39, 42, 43, 45, 46, 94, 95, 96, 124, 126: true
        default: false
        }
    }

    // MARK: - Chunked body

    /// A chunk-size line longer than this is refused: it only carries hex digits and
    /// extensions the server ignores.
    private static let maxChunkLine = 4_096

    private mutating func parseChunkSize(_ head: Head) -> Event? {
        guard let lineEnd = crlf(from: start) else {
            return bufferedCount > Self.maxChunkLine ? fail(400) : .needMore
        }
        guard lineEnd - start <= Self.maxChunkLine else { return fail(400) }
        var size = 0
        var digits = 0
        var index = start
        while index < lineEnd, let digit = Self.hexValue(buffer[index]) {
            size = size * 16 + digit
            digits += 1
            index += 1
            // Checked per digit, so `size` never gets near overflowing.
            if size > limits.maxBodyBytes { return fail(413) }
        }
        guard digits > 0 else { return fail(400) }
        // What may follow the digits: whitespace and `;extension`, both ignored.
        if index < lineEnd, buffer[index] != 59, buffer[index] != 32, buffer[index] != 9 { return fail(400) }
        start = lineEnd + 2
        if size == 0 {
            state = .trailers(head: head, bytes: 0)
            return nil
        }
        guard body.count + size <= limits.maxBodyBytes else { return fail(413) }
        state = .chunkData(head: head, remaining: size)
        return nil
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 48...57: Int(byte - 48)
        case 65...70: Int(byte - 55)
        case 97...102: Int(byte - 87)
        default: nil
        }
    }

    private func crlf(from index: Int) -> Int? {
        var position = index
        while position + 1 < buffer.count {
            if buffer[position] == 13 {
                return buffer[position + 1] == 10 ? position : nil
            }
            position += 1
        }
        return nil
    }

    // MARK: - Ends

    private mutating func finish(_ head: Head) -> Event {
        let request = HTTPServerRequest(
            method: head.method,
            target: head.target,
            minorVersion: head.minorVersion,
            headers: head.headers,
            body: body
        )
        body = []
        state = .head
        continuePending = false
        return .request(request)
    }

    private mutating func fail(_ status: Int) -> Event {
        state = .failed(status: status)
        return .failure(status: status)
    }
}
