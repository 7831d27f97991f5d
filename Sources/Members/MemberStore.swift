import Foundation
import Locking
import Wire

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The team's members in `members.json` in the state folder: names, limits and the SHA-256 of
/// each token, never a token.
///
/// The file is mode 0600 in a 0700 folder, replaced atomically (temp file, fsync, rename) under
/// an exclusive `flock` on `members.lock`, so a `member add` from the CLI and a running server
/// never see half a file. `authenticate` re-reads the file when it changed on disk, so a removed
/// or rotated token stops working on the next request without a restart.
public final class MemberStore: Sendable {
    /// What the file holds for each member.
    private struct Entry: Codable {
        var member: Member
        /// Lowercase hex SHA-256 of the token's UTF-8.
        var tokenSHA256: String
    }

    private struct File: Codable {
        var version = 1
        var members: [Entry] = []
    }

    /// What `authenticate` last read, and the file identity it was read at.
    private struct Cache {
        var identity: [Int64] = []
        var entries: [(member: Member, digest: [UInt8])] = []
    }

    /// The prefix of every token, so a leaked one is recognisable (and scannable) as ours.
    public static let tokenPrefix = "sdm_"

    /// The state folder.
    public let directory: URL
    /// `members.json` in it.
    public var fileURL: URL { directory.appendingPathComponent("members.json") }
    private var lockURL: URL { directory.appendingPathComponent("members.lock") }
    private let cache = Locked(Cache())

    /// A store in `directory` (created with mode 0700 on the first write).
    public init(directory: URL) {
        self.directory = directory
    }

    // MARK: - Commands

    /// Adds a member and returns them with their new token, the only time the token exists
    /// outside the caller's hands.
    public func add(
        _ name: String,
        dailyLimitCNY: Double? = nil,
        monthlyLimitCNY: Double? = nil,
        dailyLimitCredits: Int? = nil,
        monthlyLimitCredits: Int? = nil,
        toolsets: [String]? = nil,
        now: Date = Date()
    ) throws(MemberStoreError) -> (member: Member, token: String) {
        guard MemberName.isValid(name) else { throw .invalidName(name) }
        let member = Member(
            name: name,
            dailyLimitCNY: dailyLimitCNY,
            monthlyLimitCNY: monthlyLimitCNY,
            dailyLimitCredits: dailyLimitCredits,
            monthlyLimitCredits: monthlyLimitCredits,
            toolsets: toolsets,
            createdAt: Self.wholeSeconds(now)
        )
        try Self.checkLimits(member)
        let token = Self.newToken()
        try modify { (file: inout File) throws(MemberStoreError) in
            guard !file.members.contains(where: { $0.member.name == name }) else { throw .duplicate(name) }
            file.members.append(Entry(member: member, tokenSHA256: SHA256.hexDigest(token)))
        }
        return (member, token)
    }

    /// Changes a member's limits (or toolsets), keeping their token; returns the new record.
    ///
    /// A running server reads the limits for each call (`member(named:)`), so they apply to
    /// the member's next call; new toolsets apply to their next session.
    public func update(_ name: String, _ change: (inout Member) -> Void) throws(MemberStoreError) -> Member {
        var updated: Member?
        try modify { (file: inout File) throws(MemberStoreError) in
            guard let index = file.members.firstIndex(where: { $0.member.name == name }) else { throw .notFound(name) }
            var member = file.members[index].member
            change(&member)
            member.name = name
            try Self.checkLimits(member)
            file.members[index].member = member
            updated = member
        }
        guard let updated else { throw .notFound(name) }
        return updated
    }

    /// Limits are 0 or more (and finite).
    private static func checkLimits(_ member: Member) throws(MemberStoreError) {
        for (label, value) in [("daily yuan", member.dailyLimitCNY), ("monthly yuan", member.monthlyLimitCNY)] {
            if let value, !value.isFinite || value < 0 { throw .invalidLimit("\(label) limit must be 0 or more") }
        }
        for (label, value) in [
            ("daily credits", member.dailyLimitCredits), ("monthly credits", member.monthlyLimitCredits),
        ] {
            if let value, value < 0 { throw .invalidLimit("\(label) limit must be 0 or more") }
        }
    }

    /// Every member, in the order they were added; no tokens, no hashes.
    public func list() throws(MemberStoreError) -> [Member] {
        try read().members.map(\.member)
    }

    /// Removes a member; their token stops working at once.
    public func remove(_ name: String) throws(MemberStoreError) {
        try modify { (file: inout File) throws(MemberStoreError) in
            guard let index = file.members.firstIndex(where: { $0.member.name == name }) else { throw .notFound(name) }
            file.members.remove(at: index)
        }
    }

    /// Gives a member a new token, returned once; the old one stops working at once.
    public func rotate(_ name: String, now: Date = Date()) throws(MemberStoreError) -> String {
        let token = Self.newToken()
        try modify { (file: inout File) throws(MemberStoreError) in
            guard let index = file.members.firstIndex(where: { $0.member.name == name }) else { throw .notFound(name) }
            file.members[index].tokenSHA256 = SHA256.hexDigest(token)
            file.members[index].member.rotatedAt = Self.wholeSeconds(now)
        }
        return token
    }

    // MARK: - Authentication

    /// The member whose token this is, or nil.
    ///
    /// Compares the token's hash with every member's
    /// in constant time (no early exit on a mismatching byte or on a match), so the response
    /// time says nothing about how close a guess was. An unreadable file authenticates no one.
    public func authenticate(bearer token: String) -> Member? {
        guard token.hasPrefix(Self.tokenPrefix), token.utf8.count <= 256 else { return nil }
        let digest = SHA256.hash(Array(token.utf8))
        let entries = currentEntries()
        var found: Member?
        for entry in entries where Self.constantTimeEqual(entry.digest, digest) && found == nil {
            found = entry.member
        }
        return found
    }

    /// The member named `name` as the file holds them now (re-read when it changed), or nil.
    ///
    /// A running server reads a member's limits through this, so `member limit` applies to
    /// their next call, in any session.
    public func member(named name: String) -> Member? {
        currentEntries().first { $0.member.name == name }?.member
    }

    /// The token in an `Authorization: Bearer <token>` value, or nil when the value is another scheme.
    public static func bearerToken(fromAuthorization value: String?) -> String? {
        guard let value else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// Equal-length byte arrays compared without branching on their contents.
    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }

    private func currentEntries() -> [(member: Member, digest: [UInt8])] {
        let identity = fileIdentity()
        if let cached = cache.withLock({ $0.identity == identity && !identity.isEmpty ? $0.entries : nil }) {
            return cached
        }
        guard let file = try? read() else { return [] }
        let entries = file.members.compactMap { entry in
            Self.bytes(fromHex: entry.tokenSHA256).map { (member: entry.member, digest: $0) }
        }
        cache.withLock { $0 = Cache(identity: identity, entries: entries) }
        return entries
    }

    /// Inode, size and modification time: a rename or rewrite changes at least one.
    private func fileIdentity() -> [Int64] {
        var info = stat()
        guard stat(fileURL.path, &info) == 0 else { return [] }
        #if canImport(Darwin)
        let modified = info.st_mtimespec
        #else
        let modified = info.st_mtim
        #endif
        return [Int64(info.st_ino), Int64(info.st_size), Int64(modified.tv_sec), Int64(modified.tv_nsec)]
    }

    // MARK: - File

    private func read() throws(MemberStoreError) -> File {
        let data: Data
        do {
            data = try Data(contentsOf: fileURL)
        } catch {
            if !FileManager.default.fileExists(atPath: fileURL.path) { return File() }
            throw .io("cannot read \(fileURL.path)")
        }
        do {
            return try JSONDecoder.members.decode(File.self, from: data)
        } catch {
            throw .corrupt("\(fileURL.path) is not a members file")
        }
    }

    /// Read, change and atomically replace the file while holding the lock.
    private func modify(_ change: (inout File) throws(MemberStoreError) -> Void) throws(MemberStoreError) {
        try ensureDirectory()
        let lock = open(lockURL.path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard lock >= 0 else { throw .io("cannot open \(lockURL.path): \(Self.errnoText())") }
        defer { close(lock) }
        guard flock(lock, LOCK_EX) == 0 else { throw .io("cannot lock \(lockURL.path): \(Self.errnoText())") }
        var file = try read()
        try change(&file)
        let data: Data
        do {
            data = try JSONEncoder.members.encode(file)
        } catch {
            throw .io("cannot encode members")
        }
        try writeAtomically(data)
        cache.withLock { $0 = Cache() }
    }

    private func ensureDirectory() throws(MemberStoreError) {
        var info = stat()
        if stat(directory.path, &info) != 0 {
            do {
                try FileManager.default.createDirectory(
                    at: directory,
                    withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700]
                )
            } catch {
                throw .io("cannot create \(directory.path)")
            }
        } else if info.st_mode & 0o077 != 0 {
            // The folder also holds the ledger; no one else on the machine should list it.
            _ = chmod(directory.path, 0o700)
        }
    }

    private func writeAtomically(_ data: Data) throws(MemberStoreError) {
        let temporary = directory.appendingPathComponent(
            ".members.json.\(getpid()).\(UInt32.random(in: 0...UInt32.max))"
        )
        let descriptor = open(temporary.path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .io("cannot create \(temporary.path): \(Self.errnoText())") }
        var written = 0
        let ok = data.withUnsafeBytes { raw -> Bool in
            while written < raw.count {
                let count = write(descriptor, raw.baseAddress.map { $0 + written }, raw.count - written)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return false }
                written += count
            }
            return fsync(descriptor) == 0
        }
        close(descriptor)
        guard ok, rename(temporary.path, fileURL.path) == 0 else {
            let text = Self.errnoText()
            unlink(temporary.path)
            throw .io("cannot write \(fileURL.path): \(text)")
        }
        // The rename is durable only once the folder's entry is on disk.
        let folder = open(directory.path, O_RDONLY | O_CLOEXEC)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
    }

    // MARK: - Tokens and names

    /// `sdm_` and 32 bytes from the system's CSPRNG (getrandom / arc4random) as unpadded base64url.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let base64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return tokenPrefix + base64
    }

    /// The file keeps ISO 8601 seconds; rounding here makes what `add` returns equal what `list` reads.
    private static func wholeSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }

    private static func bytes(fromHex hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: 64, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else {
                return nil
            }
            bytes.append(byte)
        }
        return bytes
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}

extension JSONEncoder {
    /// Sorted keys and ISO 8601 dates: a file people may read and diff.
    fileprivate static var members: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}

extension JSONDecoder {
    /// Reads what `JSONEncoder.members` writes.
    fileprivate static var members: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
