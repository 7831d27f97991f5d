import Foundation
import Wire

/// Complete upstream data of results that were trimmed to fit the model's budget: saved
/// under the state directory, linked from the result, and served by `resources/read`,
/// so nothing the user paid for is lost.
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

    /// The folder (`<state>/results`).
    public let directory: String

    /// Creates the store in `<stateDirectory>/results`.
    public init(stateDirectory: String) {
        directory = stateDirectory + "/results"
    }

    /// Saves `data` as pretty JSON and prunes old files; throws the reason it could not.
    public func save(_ data: JSONValue, tool: String, now: Date = Date()) throws -> Entry {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let stamp = Int64(now.timeIntervalSince1970 * 1000)
        let name = "\(stamp)-\(tool)-\(String(UInt32.random(in: 0...UInt32.max), radix: 16)).json"
        let path = directory + "/" + name
        let bytes = data.jsonBytes
        try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        prune(now: now, keeping: name)
        return Entry(name: name, path: path, bytes: bytes.count)
    }

    /// The saved results, newest first.
    public func list() -> [Entry] {
        files().sorted { $0.modified > $1.modified }.map(\.entry)
    }

    /// The saved result a URI names; `nil` for any URI that is not a file directly in the
    /// folder (no other path is ever served).
    public func entry(for uri: String) -> Entry? {
        guard uri.hasPrefix(Self.scheme) else { return nil }
        let name = String(uri.dropFirst(Self.scheme.count))
        guard !name.isEmpty, !name.contains("/"), !name.contains("\\"), !name.hasPrefix("."), name.hasSuffix(".json")
        else { return nil }
        let path = directory + "/" + name
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            attributes[.type] as? FileAttributeType == .typeRegular
        else { return nil }
        return Entry(name: name, path: path, bytes: (attributes[.size] as? Int) ?? 0)
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
        for file in remaining where total > Self.maximumTotalBytes && file.entry.name != kept {
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
