import Foundation
import Wire

/// Input the test writes to, read by the stdio loop as if it were stdin: `read` blocks
/// until the test sends a chunk or closes the input, exactly like a pipe.
final class MemoryInput: ByteSource, @unchecked Sendable {
    // NSCondition: `read` is called on the loop's own blocking thread.
    private let condition = NSCondition()
    private var chunks: [[UInt8]] = []
    private var isClosed = false
    private var delivered = 0

    /// Sends one line (a newline is added) as one chunk.
    func send(_ line: String) { send(bytes: Array((line + "\n").utf8)) }

    /// Sends a message as one line.
    func send(_ message: JSONValue) { send(message.jsonText) }

    /// Sends raw bytes as one chunk.
    func send(bytes: [UInt8]) {
        condition.lock()
        chunks.append(bytes)
        condition.broadcast()
        condition.unlock()
    }

    /// Ends the input (stdin closed).
    func close() {
        condition.lock()
        isClosed = true
        condition.broadcast()
        condition.unlock()
    }

    /// How many chunks the reader has taken so far.
    var chunksRead: Int {
        condition.lock()
        defer { condition.unlock() }
        return delivered
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        condition.lock()
        defer { condition.unlock() }
        while chunks.isEmpty, !isClosed { condition.wait() }
        guard !chunks.isEmpty else { return 0 }
        let chunk = chunks[0]
        let count = min(chunk.count, buffer.count)
        buffer.copyBytes(from: chunk[0..<count])
        if count == chunk.count {
            chunks.removeFirst()
            delivered += 1
        } else {
            chunks[0] = Array(chunk[count...])
        }
        return count
    }
}
