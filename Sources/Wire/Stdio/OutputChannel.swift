import Foundation
import Locking

/// The server's stdout and stderr: whole messages, one writer at a time, secrets redacted.
///
/// Every message is written in full before the lock is released, so lines never
/// interleave and a signal never leaves half a message behind. The sinks are injected, so
/// the stdio loop runs in memory in tests; the process-level reaction to a vanished
/// client (exiting) is injected too.
public final class OutputChannel: Sendable {
    private let stdoutLock = Locked(())
    private let stderrLock = Locked(())
    private let redactor: SecretRedactor
    private let stdout: any ByteSink
    private let stderr: any ByteSink
    private let onClosed: @Sendable () -> Void

    /// Creates the channel over `stdout` and `stderr`; `onClosed` runs when stdout is gone
    /// (the server exits: nobody is listening any more).
    public init(
        redactor: SecretRedactor,
        stdout: any ByteSink = FileDescriptorSink.standardOutput,
        stderr: any ByteSink = FileDescriptorSink.standardError,
        onClosed: @escaping @Sendable () -> Void = { exit(0) }
    ) {
        self.redactor = redactor
        self.stdout = stdout
        self.stderr = stderr
        self.onClosed = onClosed
        // A vanished client must be a write error, not a signal that kills the process.
        signal(SIGPIPE, SIG_IGN)
    }

    /// Writes one JSON-RPC message and its newline to stdout.
    public func send(_ message: JSONValue) {
        var bytes = redactor.redact(message.jsonBytes)
        bytes.append(0x0A)
        let written = stdoutLock.withLock { _ in stdout.write(bytes) }
        if !written { onClosed() }
    }

    /// Writes one diagnostic line to stderr.
    public func log(_ line: String) {
        var bytes = redactor.redact(Array("[\(ServerIdentity.name)] \(line)".utf8))
        bytes.append(0x0A)
        _ = stderrLock.withLock { _ in stderr.write(bytes) }
    }

    /// Exits once no message is being written, holding the lock so none can start.
    public func exitBetweenMessages(_ code: Int32) -> Never {
        stdoutLock.withLock { _ in exit(code) }
    }
}
