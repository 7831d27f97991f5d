import Foundation

/// Where whole messages are written: stdout and stderr in the server, memory in tests.
public protocol ByteSink: Sendable {
    /// Writes all of `bytes`; returns `false` when the other end is gone.
    func write(_ bytes: [UInt8]) -> Bool
}

/// A file descriptor as a `ByteSink`.
///
/// `write(2)` until every byte is out: `print` is block-buffered when stdout is a pipe on
/// Linux, so a client would wait forever for a response sitting in a buffer.
public struct FileDescriptorSink: ByteSink {
    private let descriptor: Int32

    /// Writes to `descriptor`.
    public init(_ descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// The process's stdout.
    public static let standardOutput = FileDescriptorSink(STDOUT_FILENO)
    /// The process's stderr.
    public static let standardError = FileDescriptorSink(STDERR_FILENO)

    /// Writes every byte, retrying interrupted and partial writes.
    public func write(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { buffer in
            guard var pointer = buffer.baseAddress else { return true }
            var remaining = buffer.count
            while remaining > 0 {
                let count = Foundation.write(descriptor, pointer, remaining)
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
