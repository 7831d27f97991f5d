import Foundation
import Locking

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The I/O thread: one `poll` over the listener, the wake pipe and every connection.
extension HTTPServer {
    func run() {
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

    func service(_ connection: HTTPConnection, events: Int16, now: ContinuousClock.Instant) {
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
    func advance(_ connection: HTTPConnection, now: ContinuousClock.Instant) {
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

    func enqueue(
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
    func flush(_ connection: HTTPConnection, now: ContinuousClock.Instant) {
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
    func beginLinger(_ connection: HTTPConnection, now: ContinuousClock.Instant) {
        guard connection.lingerDeadline == nil else { return }
        shutdownWrites(connection.descriptor)
        connection.lingerDeadline = now + configuration.lingerTimeout
    }

    func expire(_ now: ContinuousClock.Instant) {
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

    func acceptConnections(_ now: ContinuousClock.Instant) {
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

    func processCommands(_ now: ContinuousClock.Instant) {
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

    func beginShutdown(_ now: ContinuousClock.Instant) {
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
    func drop(_ connection: HTTPConnection) { closeConnection(connection) }

    func closeConnection(_ connection: HTTPConnection) {
        guard connections[connection.id] === connection else { return }
        connections[connection.id] = nil
        open.withLock { _ = $0.remove(connection.id) }
        closeDescriptor(connection.descriptor)
        let pending = connection.output
        connection.output.removeAll()
        for output in pending { output.completion?(false) }
    }

    /// Ends the I/O thread: every connection closed, later sends refused, waiters resumed.
    func stop() {
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

    func drainWakePipe() {
        var bytes = [UInt8](repeating: 0, count: 256)
        while read(wakeRead, &bytes, bytes.count) > 0 {}
    }

    static func milliseconds(until deadline: ContinuousClock.Instant, from now: ContinuousClock.Instant) -> Int {
        guard deadline > now else { return 0 }
        let (seconds, attoseconds) = (deadline - now).components
        return Int(seconds) * 1_000 + Int(attoseconds / 1_000_000_000_000_000) + 1
    }

    static func setNonBlocking(_ descriptor: Int32) {
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}
