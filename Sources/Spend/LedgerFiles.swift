import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The ledger on disk: one JSON Lines file per local month, appended with `O_APPEND`, and
/// a lock file whose advisory lock (`flock`) every server process takes around
/// read–check–append, so two processes can never both pass a limit.
///
/// Every file is opened with `O_NOFOLLOW` (a symlink planted in the folder is refused, not
/// followed) and created 0600 in a 0700 folder: the ledger says what the user bought.
struct LedgerFiles: Sendable {
    /// The folder (`<state>/ledger`).
    let directory: String

    /// What reading a file from an offset found (the events went to the caller one by one).
    struct Read {
        /// Complete lines that are not events (a crash sealed by a later write).
        var unreadable = 0
        /// Complete events with a number out of range (negative or absurd amounts), skipped.
        var outOfRange = 0
        /// Events handed to the caller.
        var events = 0
        /// Where the complete lines end: the next read starts here.
        var end: Int
        /// Bytes after the last newline: a line torn by a crash in mid-write.
        var tornBytes = 0
    }

    /// A file's identity, to notice a file replaced under an open descriptor.
    struct Identity: Equatable {
        var device: UInt64
        var inode: UInt64
    }

    /// The file of a month: `2026-11.jsonl`.
    static func fileName(year: Int, month: Int) -> String {
        // Not `String(format:)`: it was a tenth of a paid call's instructions.
        let yearText = String(year)
        let monthText = month < 10 ? "0\(month)" : String(month)
        return String(repeating: "0", count: max(0, 4 - yearText.count)) + yearText + "-" + monthText + ".jsonl"
    }

    func path(_ name: String) -> String { directory + "/" + name }

    /// Creates the ledger folder (and the state folder above it) 0700 when missing.
    func createDirectory() throws(LedgerError) {
        var status = stat()
        if lstat(directory, &status) == 0 {
            guard (status.st_mode & S_IFMT) == S_IFDIR else {
                throw LedgerError(path: directory, reason: "not a folder")
            }
            return
        }
        let parent = (directory as NSString).deletingLastPathComponent
        if !parent.isEmpty, lstat(parent, &status) != 0 {
            do {
                try FileManager.default.createDirectory(
                    atPath: parent,
                    withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700]
                )
            } catch {
                throw LedgerError(path: parent, reason: error.localizedDescription)
            }
        }
        if mkdir(directory, 0o700) != 0, errno != EEXIST { throw LedgerError(path: directory, errno: errno) }
    }

    /// Opens `name` for reading and appending, creating it 0600; never through a symlink.
    func openForAppend(_ name: String) throws(LedgerError) -> Int32 {
        let filePath = path(name)
        let descriptor = open(filePath, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw LedgerError(path: filePath, errno: errno) }
        return descriptor
    }

    /// Opens `name` to read, or `nil` when it is missing (or a symlink).
    func openForReading(_ name: String) -> Int32? {
        let descriptor = open(path(name), O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        return descriptor >= 0 ? descriptor : nil
    }

    /// The identity of the file at `name` now, or `nil` when there is none.
    func identity(of name: String) -> Identity? {
        var status = stat()
        guard lstat(path(name), &status) == 0 else { return nil }
        return Identity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
    }

    /// The identity and size of an open file.
    static func describe(_ descriptor: Int32) -> (identity: Identity, size: Int)? {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        return (Identity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino)), Int(status.st_size))
    }

    /// Takes the exclusive lock on an open lock file.
    static func lock(_ descriptor: Int32, path: String) throws(LedgerError) {
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw LedgerError(path: path, errno: errno) }
        }
    }

    /// Releases it.
    static func unlock(_ descriptor: Int32) { flock(descriptor, LOCK_UN) }

    /// Reads the complete lines of `name` from byte `offset`, by path.
    func read(_ name: String, from offset: Int, _ each: (LedgerEvent) -> Void) -> Read {
        guard let descriptor = openForReading(name) else { return Read(end: offset) }
        defer { close(descriptor) }
        let size = Self.describe(descriptor)?.size ?? 0
        return Self.read(descriptor, from: offset, to: size, each)
    }

    /// Reads the complete lines of an open file between two offsets.
    ///
    /// Straight into one buffer with `pread`, each event handed to `each` as it is read: a
    /// month of events is a megabyte or two, and copies of it were most of a load's time.
    /// An event with a number out of range is counted and skipped, never handed on.
    static func read(_ descriptor: Int32, from offset: Int, to size: Int, _ each: (LedgerEvent) -> Void) -> Read {
        guard size > offset else { return Read(end: offset) }
        let wanted = size - offset
        let bytes = [UInt8](unsafeUninitializedCapacity: wanted) { buffer, initialized in
            initialized = 0
            while initialized < wanted {
                let count = pread(
                    descriptor,
                    buffer.baseAddress.map { $0 + initialized },
                    wanted - initialized,
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
                    if let event = LedgerEvent(line: line) {
                        if event.isInRange {
                            read.events += 1
                            each(event)
                        } else {
                            read.outOfRange += 1
                        }
                    } else {
                        read.unreadable += 1
                    }
                }
                start = index + 1
            }
            read.end = offset + start
            read.tornBytes = buffer.count - start
        }
        return read
    }

    /// Writes whole bytes at the end of an `O_APPEND` file.
    static func append(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(LedgerError) {
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw LedgerError(path: path, errno: errno)
            }
            written += count
        }
    }

    /// The month files present, oldest first.
    func monthFiles() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".jsonl") }.sorted()
    }

    /// Whether process `pid` is still running (a hold of a dead process is unsettled).
    static func isRunning(_ pid: Int32) -> Bool { ProcessIdentity(pid: pid, start: nil).isRunning }

    /// This process's id.
    static var currentProcessID: Int32 { ProcessIdentity.current.pid }
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
