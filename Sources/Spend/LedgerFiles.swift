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

    /// What reading a file from an offset found (the events went to the caller one by one).
    struct Read {
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
    ///
    /// Straight into one buffer with `pread`, each event handed to `each` as it is read: a
    /// month of events is a megabyte or two, and copies of it were most of a load's time.
    func read(_ name: String, from offset: Int, _ each: (LedgerEvent) -> Void) -> Read {
        let descriptor = open(path(name), O_RDONLY)
        guard descriptor >= 0 else { return Read(end: offset) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, Int(status.st_size) > offset else { return Read(end: offset) }
        let size = Int(status.st_size) - offset
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            initialized = 0
            while initialized < size {
                let count = pread(
                    descriptor,
                    buffer.baseAddress.map { $0 + initialized },
                    size - initialized,
                    off_t(offset + initialized)
                )
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                initialized += count
            }
        }
        var read = Read(end: offset)
        bytes.withUnsafeBufferPointer { buffer in
            var start = 0
            for index in 0..<buffer.count where buffer[index] == 0x0A {
                if index > start {
                    let line = UnsafeBufferPointer(rebasing: buffer[start..<index])
                    if let event = LedgerEvent(line: line) { each(event) } else { read.unreadable += 1 }
                }
                start = index + 1
            }
            read.end = offset + start
            read.tornBytes = buffer.count - start
        }
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
