import Foundation

/// Folders and files that may hold provider data, keys or cookies: created for the user
/// alone (folders 0700, files 0600), never through a symbolic link, and read back only
/// from a descriptor that was checked.
public enum PrivateFiles {
    /// Why a private file could not be written or read.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong, in the user's terms.
        public let description: String

        init(_ description: String) {
            self.description = description
        }

        static func errno(_ what: String, _ path: String) -> Failure {
            Failure("\(what) \(path): \(String(cString: strerror(Foundation.errno)))")
        }
    }

    /// Creates `path` and any missing parent as 0700 folders.
    ///
    /// An existing folder keeps its mode unless `tighten` (a folder the server owns, such as `results`), in which case
    /// it must belong to this user and group and other access is removed. A symbolic link
    /// in place of the last folder is refused.
    public static func makeDirectory(_ path: String, tighten: Bool = false) throws(Failure) {
        var status = stat()
        if lstat(path, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFDIR else { throw Failure("\(path) is not a folder") }
            guard tighten else { return }
            guard status.st_uid == geteuid() else { throw Failure("\(path) belongs to another user") }
            if status.st_mode & 0o077 != 0, chmod(path, status.st_mode & 0o700) != 0 {
                throw .errno("cannot make private", path)
            }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != path, parent != "/" {
            var parentStatus = stat()
            if stat(parent, &parentStatus) != 0 { try makeDirectory(parent) }
        }
        if mkdir(path, 0o700) != 0, Foundation.errno != EEXIST { throw .errno("cannot create", path) }
    }

    /// Writes `bytes` to `path` as a new 0600 file: written under a temporary name opened
    /// with `O_EXCL | O_NOFOLLOW` (nothing planted there is followed or reused), then
    /// renamed into place, so a reader never sees half a file.
    public static func write(_ bytes: [UInt8], to path: String) throws(Failure) {
        let folder = (path as NSString).deletingLastPathComponent
        let temporary = folder + "/.tmp-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .errno("cannot create", temporary) }
        var written = 0
        let complete = bytes.withUnsafeBytes { buffer -> Bool in
            guard let base = buffer.baseAddress else { return true }
            while written < buffer.count {
                let count = Foundation.write(descriptor, base + written, buffer.count - written)
                if count < 0 {
                    if Foundation.errno == EINTR { continue }
                    return false
                }
                written += count
            }
            return true
        }
        let failure = complete ? nil : Failure.errno("cannot write", path)
        close(descriptor)
        if let failure {
            unlink(temporary)
            throw failure
        }
        guard rename(temporary, path) == 0 else {
            let failure = Failure.errno("cannot move into place", path)
            unlink(temporary)
            throw failure
        }
    }

    /// The contents of the file `name` directly inside `folder`, or `nil`.
    ///
    /// Read from one descriptor opened with `O_NOFOLLOW` and checked after opening: a regular file with one link,
    /// whose real path is inside the folder's real path. `nil` for anything else (a
    /// symbolic link, a hard link to a file elsewhere, a file swapped in by a race).
    public static func readContained(_ name: String, in folder: String, maximumBytes: Int) -> [UInt8]? {
        let path = folder + "/" + name
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_nlink == 1,
            Int(status.st_size) <= maximumBytes,
            let opened = Platform.path(of: descriptor), let real = realPath(folder),
            opened == real + "/" + name
        else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { buffer in
                pread(descriptor, buffer.baseAddress.map { $0 + filled }, buffer.count - filled, off_t(filled))
            }
            if count < 0, Foundation.errno == EINTR { continue }
            guard count > 0 else { break }
            filled += count
        }
        return Array(bytes[..<filled])
    }

    /// The canonical absolute path of `path` (links resolved), or `nil`.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
