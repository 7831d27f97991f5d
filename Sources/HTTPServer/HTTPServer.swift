import Foundation
import Locking

#if canImport(Glibc)
import Glibc

/// Glibc imports socket types as enums and has a per-call flag against SIGPIPE.
let streamSocketType = Int32(SOCK_STREAM.rawValue)
let sendFlags = Int32(MSG_NOSIGNAL)
#elseif canImport(Darwin)
import Darwin

/// Darwin has no MSG_NOSIGNAL: SIGPIPE is turned off per socket (SO_NOSIGPIPE) instead.
let streamSocketType = SOCK_STREAM
let sendFlags: Int32 = 0
#endif

/// `close(2)`, out of reach inside `HTTPServer`, whose members shadow the name.
func closeDescriptor(_ descriptor: Int32) { _ = close(descriptor) }

/// `shutdown(2)` of the write side, for the same reason.
func shutdownWrites(_ descriptor: Int32) { _ = shutdown(descriptor, Int32(SHUT_WR)) }

/// The product's HTTP/1.1 server: one I/O thread running `poll` over non-blocking sockets,
/// handlers as Swift tasks.
///
/// No socket call ever runs on the cooperative thread pool (two threads on the target
/// machine): the I/O thread reads, parses, writes and times every connection, and hands
/// complete requests to the handler as tasks. Handlers must not block either; they answer
/// with a whole body or drive an `HTTPResponseWriter`.
///
/// Hardening: heads over 64 KiB get 431, bodies over 8 MiB 413, malformed requests 400,
/// slow heads and bodies 408, all followed by a close; idle connections close after the
/// idle timeout; past the connection cap the longest-idle connection makes room, or the
/// newcomer gets 503. The server keeps running until `shutdown()`.
public final class HTTPServer: @unchecked Sendable {
    // @unchecked: `connections`, `listener`, `nextID` and the shutdown fields are touched only
    // by the I/O thread; everything shared with handler tasks is behind `mailbox` or `open`.

    /// The request handler.
    public typealias Handler = @Sendable (HTTPServerRequest) async -> HTTPServerResponse

    /// Something another thread asks the I/O thread to do.
    enum Command {
        /// Queue bytes on a connection; `completion` learns whether they reached the kernel.
        case send(UInt64, [UInt8], ends: Bool, close: Bool, completion: (@Sendable (Bool) -> Void)?)
        /// A handler task ended (its response is queued or the connection is gone).
        case handlerDone
        /// Stop accepting, drain, close.
        case shutdown
    }

    struct Mailbox {
        var commands: [Command] = []
        var stopped = false
        var shutdownWaiters: [CheckedContinuation<Void, Never>] = []
    }

    /// The address actually bound (with the real port when 0 was asked for).
    public let address: HTTPListenAddress
    /// The bound port.
    public var port: Int { address.port }

    let configuration: HTTPServerConfiguration
    let handler: Handler
    let mailbox = Locked(Mailbox())
    let open = Locked<Set<UInt64>>([])
    let inFlight = Locked(0)
    let wakeRead: Int32
    let wakeWrite: Int32
    var listener: Int32
    var connections: [UInt64: HTTPConnection] = [:]
    var nextID: UInt64 = 0
    var shutdownDeadline: ContinuousClock.Instant?
    var acceptPausedUntil: ContinuousClock.Instant?
    var readBuffer = [UInt8](repeating: 0, count: 65_536)

    /// Binds `address` (127.0.0.1 unless a host is named; port 0 for any free port) and
    /// starts serving with `handler` on a dedicated I/O thread.
    public init(
        address: HTTPListenAddress,
        configuration: HTTPServerConfiguration = HTTPServerConfiguration(),
        handler: @escaping Handler
    ) throws(HTTPServerError) {
        let bindAddress = try SocketAddress(host: address.host, port: address.port)
        let descriptor = socket(bindAddress.family, streamSocketType, 0)
        guard descriptor >= 0 else { throw .socket("socket(): \(Self.errnoText())") }
        var one: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = bindAddress.withSockaddr { bind(descriptor, $0, $1) }
        guard bound == 0, listen(descriptor, configuration.backlog) == 0 else {
            let text = Self.errnoText()
            close(descriptor)
            throw .socket("bind/listen \(address): \(text)")
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        let local = SocketAddress(storage: storage, length: length)
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else {
            close(descriptor)
            throw .socket("pipe(): \(Self.errnoText())")
        }
        for end in pipeEnds + [descriptor] { Self.setNonBlocking(end) }
        self.address = HTTPListenAddress(host: local.host, port: local.port)
        self.configuration = configuration
        self.handler = handler
        listener = descriptor
        wakeRead = pipeEnds[0]
        wakeWrite = pipeEnds[1]
        let thread = Thread { [self] in run() }
        thread.name = "HTTPServer \(self.address)"
        thread.start()
    }

    /// Stops accepting, closes idle connections, lets requests in flight finish for up to the
    /// configured grace, then closes everything; returns when the I/O thread has stopped.
    public func shutdown() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let alreadyStopped = mailbox.withLock { box in
                if box.stopped { return true }
                box.shutdownWaiters.append(continuation)
                box.commands.append(.shutdown)
                return false
            }
            if alreadyStopped { continuation.resume() } else { wake() }
        }
    }

    /// Handler tasks started and not yet finished.
    public var requestsInFlight: Int { inFlight.withLock { $0 } }

    /// Open connections (tests and metrics).
    public var openConnections: Int { open.withLock { $0.count } }

    // MARK: - Shared with handler tasks

    func isOpen(_ connection: UInt64) -> Bool { open.withLock { $0.contains(connection) } }

    /// Hands a command to the I/O thread; once it has stopped, sends fail at once.
    func post(_ command: Command) {
        let accepted = mailbox.withLock { box in
            if box.stopped { return false }
            box.commands.append(command)
            return true
        }
        if accepted {
            wake()
        } else if case .send(_, _, _, _, let completion) = command {
            completion?(false)
        }
    }

    func wake() {
        var byte: UInt8 = 1
        // A full pipe already guarantees a wake-up, so EAGAIN is fine to ignore.
        _ = write(wakeWrite, &byte, 1)
    }

    /// Runs the handler and queues its response; runs as a task, never on the I/O thread.
    func respond(to request: HTTPServerRequest, connection: UInt64, keepAlive: Bool) async {
        let response = await handler(request)
        let isHead = request.method == "HEAD"
        switch response.body {
        case .bytes(let body):
            var framing: HTTPHeaders = ["Content-Length": "\(body.count)"]
            if !keepAlive { framing.add("Connection", "close") }
            let head = HTTPServerResponse.head(status: response.status, headers: response.headers, framing: framing)
            post(.send(connection, isHead ? head : head + body, ends: true, close: !keepAlive, completion: nil))
        case .stream(let write):
            // HTTP/1.0 has no chunked coding: such a stream ends with the connection.
            let chunked = request.minorVersion >= 1
            let close = !keepAlive || !chunked
            var framing = HTTPHeaders()
            if chunked { framing.add("Transfer-Encoding", "chunked") }
            if close { framing.add("Connection", "close") }
            var headers = response.headers
            // Tells nginx and similar proxies not to buffer the stream (MCP Streamable HTTP advises it).
            if headers["X-Accel-Buffering"] == nil { headers.add("X-Accel-Buffering", "no") }
            let head = HTTPServerResponse.head(status: response.status, headers: headers, framing: framing)
            post(.send(connection, head, ends: false, close: false, completion: nil))
            if !isHead {
                await write(HTTPResponseWriter(server: self, connection: connection, chunked: chunked))
            }
            post(
                .send(
                    connection,
                    chunked && !isHead ? Array("0\r\n\r\n".utf8) : [],
                    ends: true,
                    close: close,
                    completion: nil
                )
            )
        }
        inFlight.withLock { $0 -= 1 }
        post(.handlerDone)
    }

}
