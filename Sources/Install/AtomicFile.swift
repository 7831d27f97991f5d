import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Replaces a file in one step, with its permissions set before a byte is in it.
///
/// The new bytes go to a temporary file beside the target, created with `mode` (never the
/// default 0644 first and tightened later, which would leave a key readable for a moment),
/// flushed, then renamed over the target: a reader sees the old file or the new one.
public enum AtomicFile {
    /// Why the file could not be written.
    public struct Failure: Error, Sendable, Equatable {
        /// What failed, in words.
        public let reason: String
    }

    /// Writes `data` to `path` with `mode`, creating the folders on the way.
    public static func write(_ data: Data, to path: String, mode: mode_t) throws(Failure) {
        try replace(path, mode: mode) { descriptor in
            data.withUnsafeBytes { writeAll(descriptor, $0) }
        }
    }

    /// Copies the file at `source` to `path` with `mode`, a chunk at a time.
    public static func copy(_ source: String, to path: String, mode: mode_t) throws(Failure) {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw Failure(reason: "cannot read \(source): \(String(cString: strerror(errno)))") }
        defer { close(input) }
        try replace(path, mode: mode) { descriptor in
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count >= 0 else { return "cannot read \(source): \(String(cString: strerror(errno)))" }
                if count == 0 { return nil }
                let failure = chunk.withUnsafeBytes {
                    writeAll(descriptor, UnsafeRawBufferPointer(rebasing: $0[0..<count]))
                }
                if let failure { return failure }
            }
        }
    }

    /// The permission bits of the file at `path`, or `nil` when there is none.
    public static func mode(of path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o7777
    }

    private static func replace(
        _ path: String,
        mode: mode_t,
        fill: (Int32) -> String?
    ) throws(Failure) {
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw Failure(reason: "cannot create \(folder): \(error.localizedDescription)")
        }
        let temporary =
            folder + "/." + (path as NSString).lastPathComponent
            + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            throw Failure(reason: "cannot create \(temporary): \(String(cString: strerror(errno)))")
        }
        // The umask may have narrowed `mode` at creation; the file gets exactly `mode`.
        var failure = fill(descriptor)
        if failure == nil, fchmod(descriptor, mode) != 0 || fsync(descriptor) != 0 {
            failure = "cannot write \(temporary): \(String(cString: strerror(errno)))"
        }
        close(descriptor)
        if let failure {
            unlink(temporary)
            throw Failure(reason: failure)
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw Failure(reason: "cannot replace \(path): \(reason)")
        }
    }

    /// Writes the whole buffer; the reason it could not, or `nil`.
    private static func writeAll(_ descriptor: Int32, _ buffer: UnsafeRawBufferPointer) -> String? {
        var offset = 0
        while offset < buffer.count {
            let written = systemWrite(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return "write failed: \(String(cString: strerror(errno)))" }
            offset += written
        }
        return nil
    }

    private static func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.write(descriptor, bytes, count)
        #else
        return Darwin.write(descriptor, bytes, count)
        #endif
    }
}
