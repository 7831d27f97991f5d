import Foundation
import Locking

/// Messages waiting for stdout, written in order by a thread of their own, counted in bytes.
///
/// A client that stops reading stdout must not grow the server without bound: `send`
/// only queues, and the stdio loop asks `isOverBound` before reading or starting
/// anything new, so the backlog holds at most the bound plus the answers of the requests
/// already running. When the backlog falls back under the bound, the room handlers run
/// (the loop starts what waits); when it empties after a large backlog, freed memory is
/// handed back to the system (`Platform.returnFreedMemory`).
final class OutputQueue: @unchecked Sendable {
    // Safe to share: every mutable field is touched only with `condition` locked.
    private let condition = NSCondition()
    private var messages: [[UInt8]] = []
    private var head = 0
    private var queuedBytes = 0
    private var peakBytes = 0
    private var isWriting = false
    private var isClosed = false
    private var sinkFailed = false
    private var writerStarted = false
    private var wasOverBound = false
    private var roomHandlers: [@Sendable () -> Void] = []
    private var drainWaiters: [CheckedContinuation<Void, Never>] = []

    /// Queued bytes above which the stdio loop stops reading and starting requests.
    let bound: Int
    private let sink: any ByteSink
    private let writeLock: Locked<Void>
    private let onFailure: @Sendable () -> Void

    /// What a queued message costs beyond its bytes (the array's header and the
    /// allocator's rounding): a backlog of tiny answers is bounded by memory, not count.
    static let bytesPerMessage = 64

    /// A backlog that reached this size is followed by a trim of the heap once drained.
    static let trimThreshold = 4 << 20

    /// A queue writing to `sink`, one message at a time under `writeLock`; `onFailure`
    /// runs (once) when the sink reports the other end gone.
    init(sink: any ByteSink, bound: Int, writeLock: Locked<Void>, onFailure: @escaping @Sendable () -> Void) {
        self.sink = sink
        self.bound = bound
        self.writeLock = writeLock
        self.onFailure = onFailure
    }

    /// Queues one whole message (dropped once the sink has failed: nobody is listening).
    func enqueue(_ bytes: [UInt8]) {
        condition.lock()
        defer { condition.unlock() }
        guard !sinkFailed else { return }
        messages.append(bytes)
        queuedBytes += bytes.count + Self.bytesPerMessage
        peakBytes = max(peakBytes, queuedBytes)
        if queuedBytes > bound { wasOverBound = true }
        if !writerStarted {
            writerStarted = true
            let thread = Thread { [self] in writeUntilClosed() }
            thread.name = "stdout writer"
            thread.start()
        }
        condition.signal()
    }

    /// Bytes queued and not yet written.
    var backlog: Int {
        condition.lock()
        defer { condition.unlock() }
        return queuedBytes
    }

    /// Whether the backlog is over the bound (never, once the sink has failed).
    var isOverBound: Bool {
        condition.lock()
        defer { condition.unlock() }
        return queuedBytes > bound && !sinkFailed
    }

    /// Runs `handler` each time the backlog falls from over the bound to within it.
    func whenThereIsRoom(_ handler: @escaping @Sendable () -> Void) {
        condition.lock()
        roomHandlers.append(handler)
        condition.unlock()
    }

    /// Returns once every queued message is written (or the sink has failed).
    func drained() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            let idle = isIdle
            if !idle { drainWaiters.append(continuation) }
            condition.unlock()
            if idle { continuation.resume() }
        }
    }

    /// Lets the writer thread end once the queue is empty.
    func close() {
        condition.lock()
        isClosed = true
        condition.broadcast()
        condition.unlock()
    }

    private var isIdle: Bool { (head == messages.count && !isWriting) || sinkFailed }

    private func writeUntilClosed() {
        while let message = next() {
            let written = writeLock.withLock { _ in sink.write(message) }
            wrote(message.count + Self.bytesPerMessage, succeeded: written)
        }
    }

    /// The next message, waiting for one; `nil` once closed and empty.
    private func next() -> [UInt8]? {
        condition.lock()
        defer { condition.unlock() }
        while head == messages.count, !isClosed { condition.wait() }
        guard head < messages.count else { return nil }
        let message = messages[head]
        messages[head] = []
        head += 1
        // Drop the written slots now and then, so the array does not grow with the history.
        if head >= 1024, head * 2 >= messages.count {
            messages.removeFirst(head)
            head = 0
        }
        isWriting = true
        return message
    }

    private func wrote(_ count: Int, succeeded: Bool) {
        condition.lock()
        isWriting = false
        queuedBytes -= count
        let failedNow = !succeeded && !sinkFailed
        if failedNow {
            sinkFailed = true
            messages = []
            head = 0
            queuedBytes = 0
        }
        var handlers: [@Sendable () -> Void] = []
        if wasOverBound, queuedBytes <= bound || sinkFailed {
            wasOverBound = false
            handlers = roomHandlers
        }
        var waiters: [CheckedContinuation<Void, Never>] = []
        var trim = false
        if isIdle {
            waiters = drainWaiters
            drainWaiters = []
            trim = peakBytes >= Self.trimThreshold
            peakBytes = 0
        }
        condition.unlock()
        if failedNow { onFailure() }
        for handler in handlers { handler() }
        for waiter in waiters { waiter.resume() }
        if trim { Platform.returnFreedMemory() }
    }
}
