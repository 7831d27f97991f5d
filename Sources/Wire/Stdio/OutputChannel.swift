import Foundation
import Locking

/// The server's stdout and stderr: whole messages, in order, secrets redacted, stdout
/// through a bounded queue.
///
/// Every message is written in full by one writer, so lines never interleave and a
/// signal never leaves half a message behind. Stdout messages are queued and written by
/// a thread of their own (`OutputQueue`): a client that stops reading blocks that thread
/// only, and the stdio loop stops reading and starting requests while the backlog is over
/// `maximumQueuedBytes`. The sinks are injected, so the stdio loop runs in memory in
/// tests; the process-level reaction to a vanished client (exiting) is injected too.
public final class OutputChannel: Sendable {
    /// Stdout bytes that may wait for a slow client before the loop stops taking requests.
    public static let maximumQueuedBytes = 16 << 20

    private let stdoutLock = Locked(())
    private let stderrLock = Locked(())
    private let redactor: SecretRedactor
    private let queue: OutputQueue
    private let stderr: any ByteSink

    /// Creates the channel over `stdout` and `stderr`; `onClosed` runs when stdout is gone
    /// (the server exits: nobody is listening any more); `maximumQueuedBytes` bounds the
    /// stdout backlog the loop lets build up.
    public init(
        redactor: SecretRedactor,
        stdout: any ByteSink = FileDescriptorSink.standardOutput,
        stderr: any ByteSink = FileDescriptorSink.standardError,
        maximumQueuedBytes: Int = OutputChannel.maximumQueuedBytes,
        onClosed: @escaping @Sendable () -> Void = { exit(0) }
    ) {
        self.redactor = redactor
        self.stderr = stderr
        queue = OutputQueue(sink: stdout, bound: maximumQueuedBytes, writeLock: stdoutLock, onFailure: onClosed)
        // A vanished client must be a write error, not a signal that kills the process.
        signal(SIGPIPE, SIG_IGN)
    }

    deinit {
        queue.close()
    }

    /// Queues one JSON-RPC message and its newline for stdout.
    public func send(_ message: JSONValue) {
        var bytes = redactor.redact(message.jsonBytes)
        bytes.append(0x0A)
        queue.enqueue(bytes)
    }

    /// Writes one diagnostic line to stderr.
    public func log(_ line: String) {
        var bytes = redactor.redact(Array("[\(ServerIdentity.name)] \(line)".utf8))
        bytes.append(0x0A)
        _ = stderrLock.withLock { _ in stderr.write(bytes) }
    }

    /// Stdout bytes queued and not yet written.
    public var backlog: Int { queue.backlog }

    /// Whether the stdout backlog is over its bound: the loop takes no new work.
    public var isOverBound: Bool { queue.isOverBound }

    /// Runs `handler` each time the stdout backlog falls back within its bound.
    public func whenThereIsRoom(_ handler: @escaping @Sendable () -> Void) {
        queue.whenThereIsRoom(handler)
    }

    /// Returns once every queued stdout message is written (or stdout is gone).
    public func drained() async {
        await queue.drained()
    }

    /// Exits once no message is being written, holding the lock so none can start.
    public func exitBetweenMessages(_ code: Int32) -> Never {
        stdoutLock.withLock { _ in exit(code) }
    }
}
