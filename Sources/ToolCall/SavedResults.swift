import Foundation
import Wire

/// Complete upstream data of results that were trimmed to fit the model's budget: saved
/// under the state directory, linked from the result, and served by `resources/read`,
/// so nothing the user paid for is lost.
///
/// Private at rest: the folder is 0700, each file 0600, written under a temporary name
/// with `O_EXCL | O_NOFOLLOW` and renamed into place, with every known secret redacted
/// first. Served by descriptor (`PrivateFiles.readContained`): nothing but a regular file
/// directly in the folder is ever read, whatever is swapped in between check and read.
public struct SavedResults: Sendable {
    /// The URI prefix of saved results.
    public static let scheme = "social-data-mcp://results/"
    /// Files older than this are removed when a new one is saved.
    public static let maximumAge: TimeInterval = 7 * 24 * 3600
    /// The folder is kept under this size, oldest files first.
    public static let maximumTotalBytes = 200 * 1024 * 1024

    /// One saved result.
    public struct Entry: Sendable, Equatable {
        /// The file name (also the last part of the URI).
        public let name: String
        /// The absolute path.
        public let path: String
        /// The size in bytes.
        public let bytes: Int

        /// The resource URI.
        public var uri: String { SavedResults.scheme + name }
    }

    /// Why a result was not saved, in the user's terms (shown in the result).
    public struct Refusal: Error, CustomStringConvertible {
        /// The reason.
        public let description: String
    }

    /// The folder (`<state>/results`).
    public let directory: String
    /// The folder's size bound (`maximumTotalBytes`; tests shrink it).
    public let maximumBytes: Int
    /// Masks secrets in what is saved (`nil`: saved as it came).
    private let redactor: SecretRedactor?

    /// Creates the store in `<stateDirectory>/results`; `redactor` masks every known
    /// secret in what is saved.
    public init(
        stateDirectory: String,
        redactor: SecretRedactor? = nil,
        maximumBytes: Int = SavedResults.maximumTotalBytes
    ) {
        directory = stateDirectory + "/results"
        self.redactor = redactor
        self.maximumBytes = maximumBytes
    }

    /// Saves `data` as JSON and prunes old files; throws the reason it could not (one
    /// result larger than the folder's bound is refused, not saved and then pruned).
    public func save(_ data: JSONValue, tool: String, now: Date = Date()) throws -> Entry {
        var bytes = data.jsonBytes
        if let redactor { bytes = redactor.redact(bytes) }
        guard bytes.count <= maximumBytes else {
            throw Refusal(
                description: "the complete data is \(Self.megabytes(bytes.count)), more than the "
                    + "\(Self.megabytes(maximumBytes)) the results folder holds, so it was not saved"
            )
        }
        try PrivateFiles.makeDirectory(directory, tighten: true)
        let stamp = Int64(now.timeIntervalSince1970 * 1000)
        let name = "\(stamp)-\(tool)-\(String(UInt32.random(in: 0...UInt32.max), radix: 16)).json"
        let path = directory + "/" + name
        try PrivateFiles.write(bytes, to: path)
        prune(now: now, keeping: name)
        return Entry(name: name, path: path, bytes: bytes.count)
    }

    private static func megabytes(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? "\(bytes >> 20) MB" : "\(bytes) bytes"
    }

    /// The saved results, newest first.
    public func list() -> [Entry] {
        files().sorted { $0.modified > $1.modified }.map(\.entry)
    }

    /// The file name a URI names, if it is one the server could have written.
    ///
    /// Letters,
    /// digits, `-`, `_` and `.`, not starting with `.`, ending `.json`. A NUL, a control
    /// character, a percent escape or a path separator is refused before any file is touched.
    public static func name(in uri: String) -> String? {
        guard uri.hasPrefix(scheme) else { return nil }
        let name = String(uri.dropFirst(scheme.count))
        let allowed = name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                return true
            default:
                return false
            }
        }
        guard allowed, name.utf8.count <= 255, !name.hasPrefix("."), name.hasSuffix(".json") else { return nil }
        return name
    }

    /// The URI of the saved result `reference` names: its URI, its id (the file name, with
    /// or without `.json`) or its path in this folder; `nil` for anything else, so no
    /// reference reaches a file outside the folder.
    public func uri(forReference reference: String) -> String? {
        var candidate = reference
        if candidate.hasPrefix(directory + "/") {
            candidate = Self.scheme + candidate.dropFirst(directory.count + 1)
        } else if !candidate.hasPrefix(Self.scheme) {
            candidate = Self.scheme + candidate + (candidate.hasSuffix(".json") ? "" : ".json")
        }
        return Self.name(in: candidate).map { Self.scheme + $0 }
    }

    /// The contents of the saved result a URI names, read by descriptor; `nil` for any URI
    /// that is not a regular, singly linked file directly in the folder (no other file
    /// is ever served, even one swapped in for a saved result while it is read).
    public func read(_ uri: String) -> [UInt8]? {
        guard let name = Self.name(in: uri) else { return nil }
        return PrivateFiles.readContained(name, in: directory, maximumBytes: maximumBytes)
    }

    /// Removes files older than seven days, then the oldest until the folder is under
    /// its size bound (never the file just written).
    func prune(now: Date, keeping kept: String) {
        var remaining = files().sorted { $0.modified < $1.modified }
        var total = remaining.reduce(0) { $0 + $1.entry.bytes }
        for file in remaining where file.entry.name != kept && now.timeIntervalSince(file.modified) > Self.maximumAge {
            try? FileManager.default.removeItem(atPath: file.entry.path)
            total -= file.entry.bytes
        }
        remaining.removeAll { now.timeIntervalSince($0.modified) > Self.maximumAge && $0.entry.name != kept }
        for file in remaining where total > maximumBytes && file.entry.name != kept {
            try? FileManager.default.removeItem(atPath: file.entry.path)
            total -= file.entry.bytes
        }
    }

    private func files() -> [(entry: Entry, modified: Date)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.compactMap { name in
            let path = directory + "/" + name
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
            return (
                Entry(name: name, path: path, bytes: (attributes[.size] as? Int) ?? 0),
                (attributes[.modificationDate] as? Date) ?? .distantPast
            )
        }
    }
}
