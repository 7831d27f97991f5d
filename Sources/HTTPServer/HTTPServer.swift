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

/// `close(2)`, out of reach inside `HTTPServer`, whose members shadow the name.
private func closeDescriptor(_ descriptor: Int32) { _ = close(descriptor) }

/// `shutdown(2)` of the write side, for the same reason.
private func shutdownWrites(_ descriptor: Int32) { _ = shutdown(descriptor, Int32(SHUT_WR)) }

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

    private struct Mailbox {
        var commands: [Command] = []
        var stopped = false
        var shutdownWaiters: [CheckedContinuation<Void, Never>] = []
    }

    /// The address actually bound (with the real port when 0 was asked for).
    public let address: HTTPListenAddress
    /// The bound port.
    public var port: Int { address.port }

    private let configuration: HTTPServerConfiguration
    private let handler: Handler
    private let mailbox = Locked(Mailbox())
    private let open = Locked<Set<UInt64>>([])
    private let inFlight = Locked(0)
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private var listener: Int32
    private var connections: [UInt64: HTTPConnection] = [:]
    private var nextID: UInt64 = 0
    private var shutdownDeadline: ContinuousClock.Instant?
    private var acceptPausedUntil: ContinuousClock.Instant?
    private var readBuffer = [UInt8](repeating: 0, count: 65_536)

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

    private func wake() {
        var byte: UInt8 = 1
        // A full pipe already guarantees a wake-up, so EAGAIN is fine to ignore.
        _ = write(wakeWrite, &byte, 1)
    }

    /// Runs the handler and queues its response; runs as a task, never on the I/O thread.
    private func respond(to request: HTTPServerRequest, connection: UInt64, keepAlive: Bool) async {
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

    // MARK: - I/O thread

    private func run() {
        var descriptors: [pollfd] = []
        var order: [HTTPConnection] = []
        while true {
            let now = ContinuousClock.now
            if let shutdownDeadline, connections.isEmpty && inFlight.withLock({ $0 }) == 0 || now >= shutdownDeadline {
                break
            }
            descriptors.removeAll(keepingCapacity: true)
            order.removeAll(keepingCapacity: true)
            descriptors.append(pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0))
            let accepting = listener >= 0 && (acceptPausedUntil.map { now >= $0 } ?? true)
            descriptors.append(pollfd(fd: accepting ? listener : -1, events: Int16(POLLIN), revents: 0))
            var nearest = shutdownDeadline ?? acceptPausedUntil
            for connection in connections.values {
                var events: Int16 = 0
                // While a handler runs, keep reading (bounded) so a client that leaves is noticed.
                if connection.lingerDeadline != nil
                    || !connection.closing
                        && (!connection.busy || connection.parser.bufferedCount < configuration.maxHeadBytes)
                {
                    events |= Int16(POLLIN)
                }
                if !connection.output.isEmpty { events |= Int16(POLLOUT) }
                descriptors.append(pollfd(fd: connection.descriptor, events: events, revents: 0))
                order.append(connection)
                if let deadline = connection.deadline(configuration)?.at, nearest.map({ deadline < $0 }) ?? true {
                    nearest = deadline
                }
            }
            let timeout = nearest.map { Self.milliseconds(until: $0, from: now) } ?? 1_000
            let ready = poll(&descriptors, nfds_t(descriptors.count), Int32(min(timeout, 1_000)))
            if ready < 0, errno != EINTR { usleep(1_000) }
            let after = ContinuousClock.now
            if descriptors[0].revents != 0 { drainWakePipe() }
            processCommands(after)
            if descriptors[1].revents != 0 { acceptConnections(after) }
            for (index, connection) in order.enumerated() {
                let events = descriptors[index + 2].revents
                guard events != 0, connections[connection.id] === connection else { continue }
                service(connection, events: events, now: after)
            }
            expire(after)
        }
        stop()
    }

    private func service(_ connection: HTTPConnection, events: Int16, now: ContinuousClock.Instant) {
        if events & Int16(POLLOUT) != 0 {
            flush(connection, now: now)
            guard connections[connection.id] === connection else { return }
        }
        if events & (Int16(POLLIN) | Int16(POLLHUP) | Int16(POLLERR)) != 0 {
            let count = readBuffer.withUnsafeMutableBytes { recv(connection.descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 || count < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
                // The client closed or reset: nothing more can be said to it.
                drop(connection)
                return
            }
            guard count > 0 else { return }
            if connection.lingerDeadline != nil { return }
            readBuffer.withUnsafeBytes { connection.parser.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            if !connection.busy && !connection.closing { advance(connection, now: now) }
            connection.notePhase(now)
        }
    }

    /// Hands the next complete request to the handler, or answers a bad one.
    private func advance(_ connection: HTTPConnection, now: ContinuousClock.Instant) {
        while !connection.busy && !connection.closing {
            switch connection.parser.next() {
            case .needMore:
                connection.notePhase(now)
                return
            case .expectsContinue:
                enqueue(connection, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8), ends: false, close: false)
            case .failure(let status):
                connection.closing = true
                enqueue(connection, HTTPServerResponse.serverError(status), ends: true, close: true)
                flush(connection, now: now)
                return
            case .request(var request):
                request.remoteAddress = connection.remoteAddress
                connection.busy = true
                let keepAlive = request.keepAlive && shutdownDeadline == nil
                let id = connection.id
                inFlight.withLock { $0 += 1 }
                Task { await self.respond(to: request, connection: id, keepAlive: keepAlive) }
            }
        }
    }

    private func enqueue(
        _ connection: HTTPConnection,
        _ bytes: [UInt8],
        ends: Bool,
        close: Bool,
        completion: (@Sendable (Bool) -> Void)? = nil
    ) {
        if connection.output.isEmpty { connection.lastSendProgress = .now }
        connection.output.append(.init(bytes: bytes, completion: completion, endsResponse: ends, close: close))
    }

    /// Sends what the kernel takes; on the end of a response, moves to the next request or closes.
    private func flush(_ connection: HTTPConnection, now: ContinuousClock.Instant) {
        while let first = connection.output.first {
            if first.offset < first.bytes.count {
                let count = first.bytes.withUnsafeBytes { raw in
                    send(
                        connection.descriptor,
                        raw.baseAddress.map { $0 + first.offset },
                        raw.count - first.offset,
                        sendFlags
                    )
                }
                if count < 0 {
                    if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return }
                    drop(connection)
                    return
                }
                connection.lastSendProgress = now
                connection.output[0].offset += count
                if connection.output[0].offset < first.bytes.count { return }
            }
            connection.output.removeFirst()
            first.completion?(true)
            if first.close { connection.closing = true }
            if first.endsResponse {
                connection.busy = false
                // The idle and header clocks start when the response is out, not when the
                // request came in: a slow handler must not eat the client's idle time.
                connection.phaseSince = now
            }
        }
        if connection.closing {
            beginLinger(connection, now: now)
        } else if !connection.busy {
            if shutdownDeadline != nil {
                closeConnection(connection)
                return
            }
            connection.notePhase(now)
            advance(connection, now: now)
            connection.notePhase(now)
        }
    }

    /// Shuts the write side and keeps reading briefly, so the client reads our last response
    /// rather than a reset caused by bytes it sent that we never read.
    private func beginLinger(_ connection: HTTPConnection, now: ContinuousClock.Instant) {
        guard connection.lingerDeadline == nil else { return }
        shutdownWrites(connection.descriptor)
        connection.lingerDeadline = now + configuration.lingerTimeout
    }

    private func expire(_ now: ContinuousClock.Instant) {
        for connection in Array(connections.values) {
            guard let (deadline, expiry) = connection.deadline(configuration), now >= deadline else { continue }
            switch expiry {
            case .close:
                drop(connection)
            case .requestTimeout:
                enqueue(connection, HTTPServerResponse.serverError(408), ends: true, close: true)
                connection.closing = true
                flush(connection, now: now)
            }
        }
    }

    private func acceptConnections(_ now: ContinuousClock.Instant) {
        // Bounded per round so a flood of connects cannot starve the open connections.
        for _ in 0..<64 {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let descriptor = withUnsafeMutablePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(listener, $0, &length) }
            }
            guard descriptor >= 0 else {
                if errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM {
                    // Out of descriptors: pausing accept avoids spinning on a listener that stays readable.
                    acceptPausedUntil = now + .milliseconds(100)
                }
                return
            }
            Self.setNonBlocking(descriptor)
            var one: Int32 = 1
            setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            #if canImport(Darwin)
            setsockopt(descriptor, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
            #endif
            if connections.count >= configuration.maxConnections {
                let oldestIdle = connections.values.filter(\.idle).min { $0.phaseSince < $1.phaseSince }
                if let oldestIdle {
                    drop(oldestIdle)
                } else {
                    let refusal = HTTPServerResponse.serverError(503)
                    _ = refusal.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, sendFlags) }
                    closeDescriptor(descriptor)
                    continue
                }
            }
            nextID += 1
            let remote = SocketAddress(storage: storage, length: length).description
            let connection = HTTPConnection(
                id: nextID,
                descriptor: descriptor,
                remoteAddress: remote,
                limits: configuration,
                now: now
            )
            connections[connection.id] = connection
            open.withLock { _ = $0.insert(connection.id) }
        }
    }

    private func processCommands(_ now: ContinuousClock.Instant) {
        let commands = mailbox.withLock { box in
            defer { box.commands.removeAll() }
            return box.commands
        }
        for command in commands {
            switch command {
            case .send(let id, let bytes, let ends, let close, let completion):
                guard let connection = connections[id] else {
                    completion?(false)
                    continue
                }
                enqueue(connection, bytes, ends: ends, close: close, completion: completion)
                flush(connection, now: now)
            case .handlerDone:
                break
            case .shutdown:
                beginShutdown(now)
            }
        }
    }

    private func beginShutdown(_ now: ContinuousClock.Instant) {
        guard shutdownDeadline == nil else { return }
        shutdownDeadline = now + configuration.shutdownGrace
        if listener >= 0 {
            closeDescriptor(listener)
            listener = -1
        }
        for connection in Array(connections.values) where !connection.busy && connection.output.isEmpty {
            closeConnection(connection)
        }
    }

    /// Closes a connection whose client is gone or timed out; pending writers learn it failed.
    private func drop(_ connection: HTTPConnection) { closeConnection(connection) }

    private func closeConnection(_ connection: HTTPConnection) {
        guard connections[connection.id] === connection else { return }
        connections[connection.id] = nil
        open.withLock { _ = $0.remove(connection.id) }
        closeDescriptor(connection.descriptor)
        let pending = connection.output
        connection.output.removeAll()
        for output in pending { output.completion?(false) }
    }

    /// Ends the I/O thread: every connection closed, later sends refused, waiters resumed.
    private func stop() {
        for connection in Array(connections.values) { closeConnection(connection) }
        if listener >= 0 {
            closeDescriptor(listener)
            listener = -1
        }
        let (commands, waiters) = mailbox.withLock { box in
            box.stopped = true
            defer {
                box.commands.removeAll()
                box.shutdownWaiters.removeAll()
            }
            return (box.commands, box.shutdownWaiters)
        }
        for case .send(_, _, _, _, let completion) in commands { completion?(false) }
        closeDescriptor(wakeRead)
        closeDescriptor(wakeWrite)
        for waiter in waiters { waiter.resume() }
    }

    private func drainWakePipe() {
        var bytes = [UInt8](repeating: 0, count: 256)
        while read(wakeRead, &bytes, bytes.count) > 0 {}
    }

    private static func milliseconds(until deadline: ContinuousClock.Instant, from now: ContinuousClock.Instant) -> Int
    {
        guard deadline > now else { return 0 }
        let (seconds, attoseconds) = (deadline - now).components
        return Int(seconds) * 1_000 + Int(attoseconds / 1_000_000_000_000_000) + 1
    }

    private static func setNonBlocking(_ descriptor: Int32) {
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
