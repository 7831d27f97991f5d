import Foundation
import Locking

#if canImport(Glibc)
import Glibc

/// Glibc imports socket types as enums and has a per-call flag against SIGPIPE.
private let streamSocketType = Int32(SOCK_STREAM.rawValue)
private let sendFlags = Int32(MSG_NOSIGNAL)
#elseif canImport(Darwin)
import Darwin

/// Darwin has no MSG_NOSIGNAL: SIGPIPE is turned off per socket (SO_NOSIGPIPE) instead.
private let streamSocketType = SOCK_STREAM
private let sendFlags: Int32 = 0
#endif

/// A small HTTP/1.1 server on 127.0.0.1 that stands in for the providers: it records
/// every request and answers with whatever the handler decides, including slow answers,
/// dropped connections and garbage, so tests exercise the real URLSession path.
public final class LoopbackServer: Sendable {
    /// Decides the response to a request.
    public typealias Handler = @Sendable (RecordedRequest) -> StubResponse

    /// The port the server listens on.
    public let port: Int
    private let listener: Int32
    private let handler: Handler
    private let recorded = Locked<[RecordedRequest]>([])
    private let connections = Locked<Set<Int32>>([])
    private let stopped = Locked(false)

    /// The base URL of the server, with an optional path prefix.
    public func baseURL(_ prefix: String = "") -> String { "http://127.0.0.1:\(port)\(prefix)" }

    /// Starts listening on an ephemeral port.
    public init(handler: @escaping Handler) throws {
        let socketDescriptor = socket(AF_INET, streamSocketType, 0)
        guard socketDescriptor >= 0 else { throw LoopbackError("socket() failed: errno \(errno)") }
        var reuse: Int32 = 1
        setsockopt(socketDescriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        #if canImport(Darwin)
        address.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
        #endif
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(socketDescriptor, 128) == 0 else {
            close(socketDescriptor)
            throw LoopbackError("bind/listen failed: errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketDescriptor, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = socketDescriptor
        self.handler = handler
        let thread = Thread { [self] in acceptLoop() }
        thread.stackSize = 8 << 20  // CoreFoundation and ICU use large stack buffers; 1 MB overflowed
        thread.start()
    }

    /// Every request received so far, in arrival order.
    public var requests: [RecordedRequest] { recorded.withLock { $0 } }

    /// Stops accepting and closes every connection.
    public func stop() {
        let wasStopped = stopped.withLock { value in
            defer { value = true }
            return value
        }
        guard !wasStopped else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for connection in connections.withLock({ $0 }) { shutdown(connection, Int32(SHUT_RDWR)) }
    }

    deinit { stop() }

    private func acceptLoop() {
        while !stopped.withLock({ $0 }) {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else {
                // A client that went away before being accepted (ECONNABORTED), or a
                // moment without descriptors, is no reason to stop serving; only stop() is.
                if stopped.withLock({ $0 }) { return }
                if errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM { usleep(10_000) }
                continue
            }
            var noDelay: Int32 = 1
            setsockopt(connection, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
            #if canImport(Darwin)
            // A client that hangs up mid-response must not kill the stand-in with SIGPIPE.
            var noSignal: Int32 = 1
            setsockopt(connection, SOL_SOCKET, SO_NOSIGPIPE, &noSignal, socklen_t(MemoryLayout<Int32>.size))
            #endif
            connections.withLock { _ = $0.insert(connection) }
            let thread = Thread { [self] in
                serve(connection)
                connections.withLock { _ = $0.remove(connection) }
                close(connection)
            }
            thread.stackSize = 8 << 20  // CoreFoundation and ICU use large stack buffers; 1 MB overflowed
            thread.start()
        }
    }

    private func serve(_ connection: Int32) {
        var reader = ConnectionReader(descriptor: connection)
        while let request = reader.readRequest() {
            recorded.withLock { $0.append(request) }
            let response = handler(request)
            if response.delay > 0 { Thread.sleep(forTimeInterval: response.delay) }
            switch response.action {
            case .respond:
                guard write(response.serialized(keepAlive: request.keepAlive), to: connection), request.keepAlive else {
                    return
                }
            case .dropConnection:
                return
            case .rawBytes(let bytes):
                _ = write(bytes, to: connection)
                return
            case .stream(let produce):
                produce { bytes in self.write(bytes, to: connection) }
                return
            }
        }
    }

    private func write(_ bytes: [UInt8], to connection: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes {
                send(connection, $0.baseAddress, $0.count, sendFlags)
            }
            if count <= 0 {
                if count < 0, errno == EINTR { continue }
                return false
            }
            offset += count
        }
        return true
    }
}

/// The stand-in could not start.
public struct LoopbackError: Error, CustomStringConvertible {
    /// What failed.
    public let description: String

    init(_ description: String) { self.description = description }
}

/// Reads HTTP/1.1 requests off one connection.
struct ConnectionReader {
    let descriptor: Int32
    private var buffer: [UInt8] = []
    /// One receive buffer per connection, not a fresh zeroed 64 KB array per read.
    private var chunk = [UInt8](repeating: 0, count: 65_536)

    init(descriptor: Int32) { self.descriptor = descriptor }

    private mutating func fill() -> Bool {
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return false }
        buffer.append(contentsOf: chunk[0..<count])
        return true
    }

    /// Where `pattern` first occurs in the buffer: a plain scan, because the generic
    /// `firstRange(of:)` was a third of the stand-in's time and the stand-in shares the
    /// machine's two cores with the server being measured.
    private func firstIndex(of pattern: [UInt8]) -> Int? {
        guard buffer.count >= pattern.count else { return nil }
        return buffer.withUnsafeBufferPointer { bytes in
            var index = 0
            while index <= bytes.count - pattern.count {
                if bytes[index] == pattern[0], pattern.indices.allSatisfy({ bytes[index + $0] == pattern[$0] }) {
                    return index
                }
                index += 1
            }
            return nil
        }
    }

    mutating func readRequest() -> RecordedRequest? {
        var headerEnd: Int?
        while headerEnd == nil {
            headerEnd = firstIndex(of: [13, 10, 13, 10])
            if headerEnd == nil, !fill() { return nil }
        }
        guard let end = headerEnd else { return nil }
        // Lines split on LF with CR dropped; the head is ASCII, so bytes are enough.
        var lines = buffer[0..<end].split(separator: 10, omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == 13 ? line.dropLast() : line, as: UTF8.self)
        }
        buffer.removeFirst(end + 4)
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            var value = line[line.index(after: colon)...]
            while value.first == " " || value.first == "\t" { value.removeFirst() }
            while value.last == " " || value.last == "\t" { value.removeLast() }
            headers[line[..<colon].lowercased()] = String(value)
        }
        var body: [UInt8] = []
        if headers["transfer-encoding"]?.lowercased() == "chunked" {
            while true {
                guard let lineEnd = readLine() else { return nil }
                let size = Int(lineEnd.split(separator: ";").first.map(String.init) ?? "", radix: 16) ?? 0
                if size == 0 {
                    _ = readLine()
                    break
                }
                while buffer.count < size + 2 { if !fill() { return nil } }
                body.append(contentsOf: buffer[0..<size])
                buffer.removeFirst(size + 2)
            }
        } else if let length = headers["content-length"].flatMap(Int.init), length > 0 {
            while buffer.count < length { if !fill() { return nil } }
            body = Array(buffer[0..<length])
            buffer.removeFirst(length)
        }
        let target = String(requestLine[1])
        let path = target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? target
        let query = target.contains("?") ? String(target.split(separator: "?", maxSplits: 1)[1]) : ""
        return RecordedRequest(
            method: String(requestLine[0]),
            path: path,
            rawQuery: query,
            headers: headers,
            body: body,
            receivedAt: Date()
        )
    }

    private mutating func readLine() -> String? {
        while true {
            if let end = firstIndex(of: [13, 10]) {
                let line = String(decoding: buffer[0..<end], as: UTF8.self)
                buffer.removeFirst(end + 2)
                return line
            }
            if !fill() { return nil }
        }
    }
}
