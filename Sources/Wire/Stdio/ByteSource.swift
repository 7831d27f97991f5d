import Foundation

/// Where the stdio loop reads its input from: stdin in the server, memory in tests.
///
/// Blocking by design: the loop reads on a thread of its own, and a reader that stops
/// calling `read` is what pushes back on a client that writes faster than calls finish.
public protocol ByteSource: Sendable {
    /// Reads up to `buffer.count` bytes into `buffer`, blocking until some are available;
    /// returns how many, or 0 at end of input.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int
}

/// A file descriptor as a `ByteSource` (`STDIN_FILENO` for the server).
public struct FileDescriptorSource: ByteSource {
    private let descriptor: Int32

    /// Reads from `descriptor`.
    public init(_ descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// `read(2)`, retried on EINTR; an error counts as end of input.
    public func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        while true {
            let count = Foundation.read(descriptor, buffer.baseAddress, buffer.count)
            if count < 0, errno == EINTR { continue }
            return max(0, count)
        }
    }
}
