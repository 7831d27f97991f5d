import Foundation

#if canImport(Glibc)
import Glibc

private let streamSocketType = Int32(SOCK_STREAM.rawValue)
private let sendFlags = Int32(MSG_NOSIGNAL)
#elseif canImport(Darwin)
import Darwin

private let streamSocketType = SOCK_STREAM
private let sendFlags: Int32 = 0
#endif

/// Runs blocking socket work on a Dispatch thread: the cooperative pool (two threads here)
/// must stay free for the server's handler tasks.
func offPool<Result: Sendable>(_ body: @escaping @Sendable () -> Result) async -> Result {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(returning: body()) }
    }
}

/// A response as the test client read it.
struct ReadResponse: Sendable {
    var status: Int
    var headers: [String: String]
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A blocking loopback client with receive and send timeouts (20 s: generous for a loaded
/// machine, and only ever reached when a test fails), so no test can hang.
final class TestConnection: @unchecked Sendable {
    // @unchecked: each connection is used from one test at a time.
    let descriptor: Int32
    private var buffer: [UInt8] = []

    /// Connects to 127.0.0.1 (or `host`) on `port`; nil when the connection is refused.
    init?(port: Int, host: String = "127.0.0.1", timeoutSeconds: Int = 20) {
        let isIPv6 = host.contains(":")
        let descriptor = socket(isIPv6 ? AF_INET6 : AF_INET, streamSocketType, 0)
        guard descriptor >= 0 else { return nil }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        #if canImport(Darwin)
        var one: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
        let connected: Int32
        if isIPv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET6, host, &address.sin6_addr)
            connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr(host)
            connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        guard connected == 0 else {
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Sends all bytes; false when the server closed or reset the connection.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { sendBytes($0) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return false }
            offset += count
        }
        return true
    }

    /// Sends text.
    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    private func sendBytes(_ raw: UnsafeRawBufferPointer) -> Int {
        #if canImport(Glibc)
        Glibc.send(descriptor, raw.baseAddress, raw.count, sendFlags)
        #else
        Darwin.send(descriptor, raw.baseAddress, raw.count, sendFlags)
        #endif
    }

    /// Reads more bytes into the buffer; false on close, reset or timeout.
    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return false }
        buffer.append(contentsOf: chunk[0..<count])
        return true
    }

    private func line() -> String? {
        while true {
            if let index = buffer.firstIndex(of: 10) {
                let line = String(decoding: buffer[0..<index], as: UTF8.self)
                buffer.removeSubrange(0...index)
                return line.hasSuffix("\r") ? String(line.dropLast()) : line
            }
            guard fill() else { return nil }
        }
    }

    private func take(_ count: Int) -> [UInt8]? {
        while buffer.count < count { guard fill() else { return nil } }
        defer { buffer.removeSubrange(0..<count) }
        return Array(buffer[0..<count])
    }

    /// Reads one response (Content-Length, chunked, or to the close).
    ///
    /// Nil when the connection closed or timed out before a status line. `toHead`: the request
    /// was HEAD, so no body follows whatever the head says. `onChunk` sees each chunk as it arrives.
    func readResponse(toHead: Bool = false, onChunk: ([UInt8]) -> Void = { _ in }) -> ReadResponse? {
        guard let statusLine = line() else { return nil }
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
        var headers: [String: String] = [:]
        while let header = line(), !header.isEmpty {
            guard let colon = header.firstIndex(of: ":") else { continue }
            headers[header[..<colon].lowercased()] = header[header.index(after: colon)...]
                .trimmingCharacters(in: .whitespaces)
        }
        if status == 100 { return readResponse(toHead: toHead, onChunk: onChunk) }
        var body: [UInt8] = []
        if toHead {
            return ReadResponse(status: status, headers: headers, body: [])
        } else if let length = headers["content-length"].flatMap(Int.init) {
            guard let bytes = take(length) else { return nil }
            body = bytes
        } else if headers["transfer-encoding"] == "chunked" {
            while let sizeLine = line(), let size = Int(sizeLine, radix: 16) {
                if size == 0 {
                    _ = line()
                    break
                }
                guard let chunk = take(size), take(2) != nil else { return nil }
                onChunk(chunk)
                body += chunk
            }
        } else {
            while fill() {}
            body = buffer
            buffer = []
        }
        return ReadResponse(status: status, headers: headers, body: body)
    }

    /// Whether the server closed the connection: a read returns end-of-file or a reset
    /// (not a timeout) with no more response bytes.
    func isClosedByServer() -> Bool {
        var byte: UInt8 = 0
        let count = recv(descriptor, &byte, 1, 0)
        return count == 0 || count < 0 && (errno == ECONNRESET || errno == EPIPE)
    }
}

/// A simple GET with a Host header.
func getRequest(_ path: String = "/", close: Bool = false) -> String {
    "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(close ? "Connection: close\r\n" : "")\r\n"
}
