/// One accepted connection's state; touched only by the server's I/O thread.
final class HTTPConnection {
    /// A pending piece of output and whom to tell when it is in the kernel.
    struct Output {
        var bytes: [UInt8]
        var offset = 0
        var completion: (@Sendable (Bool) -> Void)?
        /// The last bytes of a response: when sent, the connection takes the next request.
        var endsResponse: Bool
        /// Close the connection after these bytes.
        var close: Bool
    }

    /// Unique for the server's lifetime, so a late response never reaches a reused descriptor.
    let id: UInt64
    let descriptor: Int32
    let remoteAddress: String
    var parser: HTTPRequestParser
    var output: [Output] = []
    /// A request was handed to the handler and its response has not been fully queued yet.
    var busy = false
    /// Once the output drains, close (after lingering).
    var closing = false
    /// Write side shut; reading and dropping until EOF or `lingerDeadline`.
    var lingerDeadline: ContinuousClock.Instant?
    /// The parser's phase at `phaseSince`, to time idle, head and body separately.
    var phase = HTTPRequestParser.Phase.idle
    var phaseSince: ContinuousClock.Instant
    /// The last time the client took some of our output.
    var lastSendProgress: ContinuousClock.Instant

    init(
        id: UInt64,
        descriptor: Int32,
        remoteAddress: String,
        limits: HTTPServerConfiguration,
        now: ContinuousClock.Instant
    ) {
        self.id = id
        self.descriptor = descriptor
        self.remoteAddress = remoteAddress
        parser = HTTPRequestParser(limits: limits)
        phaseSince = now
        lastSendProgress = now
    }

    /// Idle: nothing in flight, nothing to send, no byte of a next request: safe to close
    /// at shutdown or to make room for a new connection.
    var idle: Bool { !busy && output.isEmpty && !closing && lingerDeadline == nil && parser.phase == .idle }

    /// Records a phase change so each phase's timeout starts when it began.
    func notePhase(_ now: ContinuousClock.Instant) {
        let current = parser.phase
        if current != phase {
            phase = current
            phaseSince = now
        }
    }

    /// When this connection must next be looked at, and what happens then.
    func deadline(_ limits: HTTPServerConfiguration) -> (at: ContinuousClock.Instant, expiry: Expiry)? {
        if let lingerDeadline { return (lingerDeadline, .close) }
        if !output.isEmpty { return (lastSendProgress + limits.sendTimeout, .close) }
        if busy || closing { return nil }
        switch phase {
        case .idle: return (phaseSince + limits.idleTimeout, .close)
        case .head: return (phaseSince + limits.headerTimeout, .requestTimeout)
        case .body: return (phaseSince + limits.bodyTimeout, .requestTimeout)
        }
    }

    /// What a passed deadline means.
    enum Expiry {
        /// Close now.
        case close
        /// Answer 408 and close.
        case requestTimeout
    }
}
