import Foundation
import Locking
import Testing
import Wire

/// A client that stops reading stdout while it keeps sending requests.
///
/// The server must push back (stop reading stdin) instead of growing: its peak memory
/// stays within 256 MB of its idle size however much is pipelined, and the memory is
/// given back once the client reads again. Wall-clock based (it watches the process for
/// a while), so it runs in the timing pass: `SOCIAL_DATA_MCP_TIMING_TESTS=1`.
@Suite(
    "Stalled client (timing)",
    .serialized,
    .timeLimit(.minutes(5)),
    .enabled(if: ProcessInfo.processInfo.environment["SOCIAL_DATA_MCP_TIMING_TESTS"] == "1")
)
struct StalledClientTimingEndToEndTests {
    static let requests = 300_000

    @Test func aClientThatStopsReadingKeepsTheServerBoundedAndGetsTheMemoryBack() async throws {
        let child = try ChildProcess(
            path: ServerProcess.binaryPath,
            arguments: [],
            environment: [
                "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                "HOME": NSTemporaryDirectory(),
                Platform.stateDirectoryVariable: try ServerProcess.freshStateDirectory(),
                "SOCIAL_DATA_MCP_SANDBOX": "1",
            ]
        )
        defer { kill(child.processIdentifier, SIGKILL) }
        let stdin = child.standardInput.fileDescriptor
        let lines = LineReader(child.standardOutput.fileDescriptor)
        Self.write(stdin, Self.initialize)
        #expect(lines.next()?.contains("\"id\":0") == true)
        Self.write(stdin, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n")
        let idle = try #require(Self.memory(child.processIdentifier))

        // Pipelined without reading a byte of stdout: pings (a task each, tiny answers)
        // and every 100th a tools/list (a large answer), on a thread of its own (its
        // writes block once the server stops reading).
        let written = Locked(0)
        let writer = Thread {
            for id in 1...Self.requests {
                let method = id.isMultiple(of: 100) ? "tools/list" : "ping"
                let line = "{\"jsonrpc\":\"2.0\",\"id\":\(id),\"method\":\"\(method)\"}\n"
                Self.write(stdin, line)
                written.withLock { $0 = id }
            }
        }
        writer.start()
        // Watch until the writer has stopped making progress for 3 s (the server stopped
        // reading) or everything was written and memory has settled; 90 s at most.
        var peak = idle
        var lastProgress = (count: -1, at: ContinuousClock.now)
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .seconds(90) {
            try await Task.sleep(for: .milliseconds(200))
            peak = Self.memory(child.processIdentifier) ?? peak
            let count = written.withLock { $0 }
            if count != lastProgress.count {
                lastProgress = (count, ContinuousClock.now)
            } else if ContinuousClock.now - lastProgress.at > .seconds(3) {
                break
            }
        }
        let stalledAt = written.withLock { $0 }
        print(
            "stalled client: idle \(idle.rss >> 20) MB, peak (VmHWM) \(peak.hwm >> 20) MB while \(stalledAt) of "
                + "\(Self.requests) requests were written"
        )
        #expect(peak.hwm - idle.rss <= 256 << 20, "the server grew by \((peak.hwm - idle.rss) >> 20) MB")
        #expect(stalledAt < Self.requests, "the server kept reading while its answers were not read")

        // The client reads again: every request is answered, and the memory comes back.
        var answered = 0
        // Nothing but answers is sent here (no progress, no log notifications).
        while answered < Self.requests, lines.next() != nil { answered += 1 }
        #expect(answered == Self.requests)
        var after = Self.memory(child.processIdentifier)
        let drained = ContinuousClock.now
        while let current = after, current.rss - idle.rss > 64 << 20, ContinuousClock.now - drained < .seconds(10) {
            try await Task.sleep(for: .milliseconds(100))
            after = Self.memory(child.processIdentifier)
        }
        let settled = try #require(after)
        print("stalled client: after draining \(settled.rss >> 20) MB (idle \(idle.rss >> 20) MB)")
        #expect(settled.rss - idle.rss <= 64 << 20, "the memory was not given back: \(settled.rss >> 20) MB")
        try? child.standardInput.close()
    }

    static let initialize =
        "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
        + "\"capabilities\":{},\"clientInfo\":{\"name\":\"stalled\",\"version\":\"1\"}}}\n"

    /// Writes all of `text` (blocking).
    static func write(_ descriptor: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                Foundation.write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
            }
            if count < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += count
        }
    }

    /// The process's current and peak resident size (Linux `/proc/<pid>/status`), in bytes.
    static func memory(_ pid: pid_t) -> (rss: Int, hwm: Int)? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        func field(_ name: String) -> Int? {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }),
                let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
            else { return nil }
            return kilobytes * 1024
        }
        guard let rss = field("VmRSS"), let hwm = field("VmHWM") else { return nil }
        return (rss, hwm)
    }
}

/// Lines from a file descriptor, read on demand (blocking).
final class LineReader {
    private let descriptor: Int32
    private var pending: [UInt8] = []
    private var start = 0
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)

    init(_ descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// The next line, or `nil` at end of input.
    func next() -> String? {
        while true {
            if let newline = pending[start...].firstIndex(of: 0x0A) {
                let line = String(decoding: pending[start..<newline], as: UTF8.self)
                start = newline + 1
                return line
            }
            pending.removeFirst(start)
            start = 0
            let count = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return nil }
            pending.append(contentsOf: chunk[..<count])
        }
    }
}
