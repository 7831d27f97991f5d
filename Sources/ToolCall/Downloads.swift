import Catalog
import Foundation

/// Saves files providers send instead of JSON (TikOmni's Excel exports) where the agent
/// can open them, and describes them in the result.
enum Downloads {
    /// The folder files are saved in: the system temporary directory's `social-data-mcp`.
    static var directory: URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("social-data-mcp", isDirectory: true)
    }

    /// Saves the payload's file, if any, and replaces its data with where it went.
    static func save(_ payload: UpstreamPayload) -> UpstreamPayload {
        guard let file = payload.file else { return payload }
        var payload = payload
        payload.file = nil
        let stamp = Int(Date().timeIntervalSince1970 * 1000)
        let url = directory.appendingPathComponent("\(stamp)-\(file.suggestedName)")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(file.bytes).write(to: url, options: .atomic)
        } catch {
            payload.data = ["content_type": .string(file.mediaType), "size_bytes": .int(file.bytes.count)]
            payload.notes.append(
                "The provider sent a \(file.mediaType) file of \(file.bytes.count) bytes, but saving it failed: \(error.localizedDescription)."
            )
            return payload
        }
        payload.data = [
            "saved_to": .string(url.path), "content_type": .string(file.mediaType),
            "size_bytes": .int(file.bytes.count),
        ]
        payload.notes.append("Saved the \(file.mediaType) file (\(file.bytes.count) bytes) to \(url.path).")
        payload.content.append([
            "type": "resource_link",
            "uri": .string(url.absoluteString),
            "name": .string(file.suggestedName),
            "mimeType": .string(file.mediaType),
            "size": .int(file.bytes.count),
        ])
        return payload
    }
}
