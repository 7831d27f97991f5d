import Foundation
import Locking

/// The process's stdout and stderr: whole messages, one writer at a time, secrets redacted.
///
/// `print` is block-buffered when stdout is a pipe on Linux, so a client would wait
/// forever for a response sitting in a buffer; every message here is written with
/// `write(2)` in full before the lock is released, so lines never interleave and a
/// signal never leaves half a message behind.
public final class OutputChannel: Sendable {
    private let stdoutLock = Locked(())
    private let stderrLock = Locked(())
    private let redactor: SecretRedactor

    /// Creates the channel; SIGPIPE is ignored so a vanished client is a write error.
    public init(redactor: SecretRedactor) {
        self.redactor = redactor
        signal(SIGPIPE, SIG_IGN)
    }

    /// Writes one JSON-RPC message and its newline to stdout.
    public func send(_ message: JSONValue) {
        var bytes = redactor.redact(message.jsonBytes)
        bytes.append(0x0A)
        let written = stdoutLock.withLock { _ in OutputChannel.writeAll(bytes, to: STDOUT_FILENO) }
        // The client closed its end: nobody is listening, so there is nothing left to do.
        if !written { exit(0) }
    }

    /// Writes one diagnostic line to stderr.
    public func log(_ line: String) {
        var bytes = redactor.redact(Array("[\(ServerIdentity.name)] \(line)".utf8))
        bytes.append(0x0A)
        _ = stderrLock.withLock { _ in OutputChannel.writeAll(bytes, to: STDERR_FILENO) }
    }

    /// Exits once no message is being written, holding the lock so none can start.
    public func exitBetweenMessages(_ code: Int32) -> Never {
        stdoutLock.withLock { _ in exit(code) }
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        bytes.withUnsafeBytes { buffer in
            guard var pointer = buffer.baseAddress else { return true }
            var remaining = buffer.count
            while remaining > 0 {
                let count = write(descriptor, pointer, remaining)
                if count < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    return false
                }
                pointer += count
                remaining -= count
            }
            return true
        }
    }
}
