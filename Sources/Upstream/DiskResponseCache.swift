import Catalog
import Foundation
import Locking
import Wire

/// Paid reads kept on disk under the state folder, shared by every server process of the
/// user: clients that start a process per call (LangChain's `get_tools()`, llama-index)
/// and clients that restart servers often would otherwise pay for the same read again.
///
/// The same key as `ResponseCache` (tool and upstream arguments), prefixed with where the
/// answer came from (the provider's base URL, or sandbox) so a sample answer never serves a
/// live call. A file is named by the key's SHA-256, so no argument (a cookie) is in a name;
/// its contents are redacted like saved results; files are 0600 in a 0700 folder, written
/// under a temporary name and renamed into place; the folder is kept under its size bound,
/// oldest files first. Only the data, provider details and notes are kept: a cached answer
/// never repeats the provider's charge or balance.
public struct DiskResponseCache: Sendable {
    /// The folder (`<state>/cache`).
    public let directory: String
    /// The folder's size bound.
    public let maximumBytes: Int
    private let redactor: SecretRedactor?
    private let tally = Tally()

    /// Stores between two scans of the folder even when the running size says it is within
    /// its bound: other processes write too, and this process cannot see their files grow.
    public static let rescanEvery = 256

    /// The folder's size as this process last measured it, plus what it wrote since.
    ///
    /// Listing and stat-ing the whole folder on every store made each paid call cost more as
    /// the cache filled (2,000 distinct reads ran at under 40 calls a second); the scan now
    /// runs when the running total passes the bound or every ``rescanEvery`` stores. The
    /// total over-counts rewrites of a file, which only makes a scan come sooner.
    private final class Tally: Sendable {
        let state = Locked<(bytes: Int?, storesSinceScan: Int)>((nil, 0))
    }

    /// A stored answer and its age.
    public struct Hit: Sendable {
        /// The payload as it came back the first time (without its billing).
        public let payload: UpstreamPayload
        /// Seconds since it was fetched.
        public let ageSeconds: Int
    }

    /// Creates the cache in `<stateDirectory>/cache`, at most `maximumBytes` on disk;
    /// `redactor` masks every known secret in what is written.
    public init(stateDirectory: String, redactor: SecretRedactor? = nil, maximumBytes: Int = 64 << 20) {
        directory = stateDirectory + "/cache"
        self.redactor = redactor
        self.maximumBytes = maximumBytes
    }

    /// The file name of a key: its SHA-256 in hex.
    public static func fileName(_ key: String) -> String { SHA256.hexDigest(key) + ".json" }

    /// The answer stored under `key` if it is at most `maxAgeSeconds` old at `now`.
    public func lookup(_ key: String, maxAgeSeconds: Int, now: Date = Date()) -> Hit? {
        guard maxAgeSeconds > 0,
            let bytes = PrivateFiles.readContained(Self.fileName(key), in: directory, maximumBytes: maximumBytes / 4),
            let stored = try? JSONParser.parse(bytes),
            let storedAt = stored["stored_at"]?.doubleValue, let data = stored["data"]
        else { return nil }
        let age = now.timeIntervalSince1970 - storedAt
        guard age >= -60, age <= Double(maxAgeSeconds) else { return nil }
        let payload = UpstreamPayload(
            data: data,
            details: stored["details"]?.objectValue ?? [:],
            notes: (stored["notes"]?.arrayValue ?? []).compactMap(\.stringValue),
            content: stored["content"]?.arrayValue ?? []
        )
        return Hit(payload: payload, ageSeconds: max(0, Int(age)))
    }

    /// Stores `payload` under `key` (a file answer is not kept) and evicts the oldest
    /// files past the size bound; a failure to write only loses the cache entry.
    public func store(_ key: String, payload: UpstreamPayload, now: Date = Date()) {
        guard payload.file == nil else { return }
        let stored: JSONValue = [
            "stored_at": .double(now.timeIntervalSince1970),
            "data": payload.data,
            "details": .object(payload.details),
            "notes": .array(payload.notes.map { .string($0) }),
            "content": .array(payload.content),
        ]
        var bytes = stored.jsonBytes
        if let redactor { bytes = redactor.redact(bytes) }
        guard bytes.count <= maximumBytes / 4 else { return }
        do {
            try PrivateFiles.makeDirectory(directory, tighten: true)
            try PrivateFiles.write(bytes, to: directory + "/" + Self.fileName(key))
        } catch {
            return
        }
        let scan = tally.state.withLock { state -> Bool in
            state.storesSinceScan += 1
            state.bytes = state.bytes.map { $0 + bytes.count }
            return (state.bytes ?? Int.max) > maximumBytes || state.storesSinceScan >= Self.rescanEvery
        }
        guard scan else { return }
        let total = evict(keeping: Self.fileName(key))
        tally.state.withLock { $0 = (total, 0) }
    }

    /// Removes the oldest files until the folder is within its bound (never `kept`) and
    /// returns the bytes left.
    @discardableResult
    func evict(keeping kept: String) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var files = names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.compactMap {
            name -> (name: String, bytes: Int, modified: Date)? in
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: directory + "/" + name) else {
                return nil
            }
            return (name, (attributes[.size] as? Int) ?? 0, (attributes[.modificationDate] as? Date) ?? .distantPast)
        }
        var total = files.reduce(0) { $0 + $1.bytes }
        guard total > maximumBytes else { return total }
        files.sort { $0.modified < $1.modified }
        for file in files where total > maximumBytes && file.name != kept {
            try? FileManager.default.removeItem(atPath: directory + "/" + file.name)
            total -= file.bytes
        }
        return total
    }
}
