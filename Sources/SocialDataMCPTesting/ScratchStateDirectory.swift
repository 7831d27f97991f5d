import Foundation

/// A fresh state folder for one test, so that no test reads or writes the user's own
/// spend ledger (whose daily limit would otherwise fill up across test runs).
public enum ScratchStateDirectory {
    /// A new, empty folder under the temporary directory.
    public static func make() -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("social-data-mcp-test-\(UUID().uuidString)", isDirectory: true).path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
