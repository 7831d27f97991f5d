import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A process as the ledger names a hold's owner: its pid and when it started.
///
/// A pid alone is not a process: once the owner of a hold dies, the system may give its pid
/// to another process, and that hold would count as in flight for ever. The start time
/// tells the two apart.
public struct ProcessIdentity: Sendable, Equatable, Hashable {
    /// The process id.
    public let pid: Int32
    /// When it started, in the system's units (Linux: clock ticks since boot, field 22 of
    /// `/proc/<pid>/stat`; macOS: microseconds since 1970), or `nil` when unknown (a hold
    /// written by an older version).
    public let start: Int64?

    /// Names a process.
    public init(pid: Int32, start: Int64?) {
        self.pid = pid
        self.start = start
    }

    /// This process.
    public static let current = ProcessIdentity(pid: getpid(), start: startTime(of: getpid()))

    /// Whether this process is still running.
    ///
    /// Its pid is alive and, when both start times are known, started when it did. A pid that started at another time belongs to
    /// another process, so the hold's owner is dead.
    public var isRunning: Bool {
        if pid == Self.current.pid { return start == nil || start == Self.current.start }
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let start, let actual = Self.startTime(of: pid) else { return true }
        return actual == start
    }

    /// When process `pid` started, or `nil` when it cannot be read.
    public static func startTime(of pid: Int32) -> Int64? {
        #if os(Linux)
        // The command name (field 2) is in parentheses and may hold spaces or ')': the
        // fields are counted from the last ')'. Field 22 is the start time.
        let descriptor = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        let bytes = buffer[0..<count]
        guard let close = bytes.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = bytes[(close + 1)...].split(separator: UInt8(ascii: " "))
        // After ')': field 3 (state) is index 0, so field 22 is index 19.
        guard fields.count > 19 else { return nil }
        return Int64(String(decoding: fields[19], as: UTF8.self))
        #elseif canImport(Darwin)
        var info = kinfo_proc()
        var size = MemoryLayout<kinfo_proc>.stride
        var name: [Int32] = [CTL_KERN, KERN_PROC, KERN_PROC_PID, pid]
        guard sysctl(&name, 4, &info, &size, nil, 0) == 0, size > 0 else { return nil }
        let started = info.kp_proc.p_un.__p_starttime
        return Int64(started.tv_sec) * 1_000_000 + Int64(started.tv_usec)
        #else
        return nil
        #endif
    }
}
