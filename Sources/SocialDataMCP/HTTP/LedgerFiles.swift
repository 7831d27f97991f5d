import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The ledger on disk: one JSON Lines file per local month, appended with `O_APPEND`, and
/// a lock file whose advisory lock (`flock`) every server process takes around
/// read–check–append, so two processes can never both pass a limit.
struct LedgerFiles: Sendable {
    /// The folder (`<state>/ledger`).
    let directory: String

    /// What reading a file from an offset found.
    struct Read {
        /// The events on complete lines.
        var events: [LedgerEvent] = []
        /// Complete lines that are not events (a crash sealed by a later write).
        var unreadable = 0
        /// Where the complete lines end: the next read starts here.
        var end: Int
        /// Bytes after the last newline: a line torn by a crash in mid-write.
        var tornBytes = 0
    }

    /// The file of a month: `2026-11.jsonl`.
    static func fileName(year: Int, month: Int) -> String {
        String(format: "%04d-%02d.jsonl", year, month)
    }

    func path(_ name: String) -> String { directory + "/" + name }

    /// Runs `body` holding the exclusive lock on `ledger.lock`.
    func withLock<Result>(_ body: () throws(LedgerError) -> Result) throws(LedgerError) -> Result {
        try createDirectory()
        let lockPath = path("ledger.lock")
        let descriptor = open(lockPath, O_RDWR | O_CREAT, 0o600)
        guard descriptor >= 0 else { throw LedgerError(path: lockPath, errno: errno) }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw LedgerError(path: lockPath, errno: errno) }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }

    /// Reads the complete lines of `name` from byte `offset`.
    func read(_ name: String, from offset: Int) -> Read {
        guard let handle = FileHandle(forReadingAtPath: path(name)) else { return Read(end: offset) }
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: UInt64(offset))) != nil,
            let data = try? handle.readToEnd(), !data.isEmpty
        else { return Read(end: offset) }
        let bytes = [UInt8](data)
        var read = Read(end: offset)
        var start = 0
        while let newline = bytes[start...].firstIndex(of: 0x0A) {
            let line = bytes[start..<newline]
            if !line.isEmpty {
                if let event = LedgerEvent(line: line) { read.events.append(event) } else { read.unreadable += 1 }
            }
            start = newline + 1
        }
        read.end = offset + start
        read.tornBytes = bytes.count - start
        return read
    }

    /// Appends whole lines to `name` and, when `sync`, waits until they are on disk.
    ///
    /// A torn last line (a crash in mid-write) is sealed with a newline first, so that it
    /// stays one unreadable line and never swallows the line written now.
    func append(_ bytes: [UInt8], to name: String, sync: Bool) throws(LedgerError) {
        try createDirectory()
        let filePath = path(name)
        let descriptor = open(filePath, O_WRONLY | O_APPEND | O_CREAT, 0o600)
        guard descriptor >= 0 else { throw LedgerError(path: filePath, errno: errno) }
        defer { close(descriptor) }
        var output = bytes
        var status = stat()
        if fstat(descriptor, &status) == 0, status.st_size > 0 {
            var last: UInt8 = 0
            let reader = open(filePath, O_RDONLY)
            if reader >= 0 {
                if pread(reader, &last, 1, off_t(status.st_size - 1)) == 1, last != 0x0A { output.insert(0x0A, at: 0) }
                close(reader)
            }
        }
        var written = 0
        while written < output.count {
            let count = output[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw LedgerError(path: filePath, errno: errno)
            }
            written += count
        }
        if sync, fsync(descriptor) != 0 { throw LedgerError(path: filePath, errno: errno) }
    }

    /// The month files present, oldest first.
    func monthFiles() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".jsonl") }.sorted()
    }

    private func createDirectory() throws(LedgerError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw LedgerError(path: directory, reason: error.localizedDescription)
        }
    }

    /// Whether process `pid` is still running (a hold of a dead process is unsettled).
    static func isRunning(_ pid: Int32) -> Bool {
        if pid == getpid() { return true }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// This process's id.
    static var currentProcessID: Int32 { getpid() }
}

/// The ledger could not be read or written: paid calls are refused rather than made
/// unrecorded, because the limits could not be enforced.
public struct LedgerError: Error, Sendable, Equatable {
    /// The file or folder.
    public let path: String
    /// What went wrong.
    public let reason: String

    init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    init(path: String, errno code: Int32) {
        self.init(path: path, reason: String(cString: strerror(code)))
    }
}
