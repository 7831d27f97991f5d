import Foundation

/// The copies an install or uninstall keeps of a config file before changing it
/// (`mcp.json.bak-20261201-093000`): private, and only the newest few.
///
/// A backup may hold keys (the file did), so it is created 0600 whatever the file's own
/// mode; older backups are deleted so keys do not pile up in copies nobody reads.
public enum ConfigBackups {
    /// How many backups of one file are kept.
    public static let kept = 3

    /// Copies the file at `path` (whose bytes are `text`) to a new backup, deletes all but
    /// the newest ``kept``, and returns the new backup's path.
    public static func make(of path: String, text: String) throws(AtomicFile.Failure) -> String {
        let stamp = timestamp()
        // After the newest in this same second: when older ones of this second were
        // already deleted, reusing a freed, lower number would make the new backup sort
        // as the oldest (and be the next one deleted).
        let last = entries(of: path).filter { $0.stamp == stamp }.map(\.attempt).max()
        var attempt = last.map { $0 + 1 } ?? 1
        var backup = path + ".bak-" + stamp + (attempt > 1 ? "-\(attempt)" : "")
        while FileManager.default.fileExists(atPath: backup) {
            attempt += 1
            backup = path + ".bak-" + stamp + "-\(attempt)"
        }
        try AtomicFile.write(Data(text.utf8), to: backup, mode: 0o600)
        for old in list(of: path).dropLast(kept) { try? FileManager.default.removeItem(atPath: old) }
        return backup
    }

    /// The backups of the file at `path`, oldest first.
    public static func list(of path: String) -> [String] { entries(of: path).map(\.path) }

    /// The backups of the file at `path` with their stamp and number, oldest first.
    private static func entries(of path: String) -> [(path: String, stamp: String, attempt: Int)] {
        let folder = (path as NSString).deletingLastPathComponent
        let prefix = (path as NSString).lastPathComponent + ".bak-"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.compactMap { name -> (String, String, Int)? in
            guard name.hasPrefix(prefix) else { return nil }
            // `STAMP` or `STAMP-N`: ordered by the stamp, then by N as a number.
            let suffix = name.dropFirst(prefix.count)
            let parts = suffix.split(separator: "-")
            guard parts.count >= 2 else { return nil }
            let stamp = parts[0] + "-" + parts[1]
            let attempt = parts.count > 2 ? Int(parts[2]) ?? 0 : 1
            return (folder + "/" + name, String(stamp), attempt)
        }
        .sorted { ($0.1, $0.2) < ($1.1, $1.2) }
        .map { (path: $0.0, stamp: $0.1, attempt: $0.2) }
    }

    private static func timestamp() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: Date())
    }
}
