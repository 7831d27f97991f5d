import Catalog
import Foundation
import Wire

/// Saves files providers send instead of JSON (TikOmni's Excel exports) where the agent
/// can open them, and describes them in the result.
///
/// Under the state folder (`<state>/downloads`, 0700), each file 0600 and written with
/// `O_EXCL | O_NOFOLLOW`, every known secret redacted: provider data is the user's alone,
/// not a shared temporary folder's.
public struct Downloads: Sendable {
    /// The folder files are saved in.
    public let directory: String
    private let redactor: SecretRedactor?

    /// Downloads kept in `<stateDirectory>/downloads`, redacted by `redactor`.
    public init(stateDirectory: String, redactor: SecretRedactor?) {
        directory = stateDirectory + "/downloads"
        self.redactor = redactor
    }

    /// Saves the payload's file, if any, and replaces its data with where it went.
    public func save(_ payload: UpstreamPayload) -> UpstreamPayload {
        guard let file = payload.file else { return payload }
        var payload = payload
        payload.file = nil
        let stamp = Int(Date().timeIntervalSince1970 * 1000)
        let path = directory + "/" + Self.safeName("\(stamp)-\(file.suggestedName)")
        do {
            // The interim temporary folder must be this user's own, like the downloads in it.
            try PrivateFiles.makeDirectory((directory as NSString).deletingLastPathComponent, tighten: false)
            try PrivateFiles.makeDirectory(directory, tighten: true)
            try PrivateFiles.write(redactor?.redact(file.bytes) ?? file.bytes, to: path)
        } catch {
            payload.data = ["content_type": .string(file.mediaType), "size_bytes": .int(file.bytes.count)]
            payload.notes.append(
                "The provider sent a \(file.mediaType) file of \(file.bytes.count) bytes, but saving it failed: \(error)."
            )
            return payload
        }
        let url = URL(fileURLWithPath: path)
        payload.data = [
            "saved_to": .string(path), "content_type": .string(file.mediaType),
            "size_bytes": .int(file.bytes.count),
        ]
        payload.notes.append("Saved the \(file.mediaType) file (\(file.bytes.count) bytes) to \(path).")
        payload.content.append([
            "type": "resource_link",
            "uri": .string(url.absoluteString),
            "name": .string(file.suggestedName),
            "mimeType": .string(file.mediaType),
            "size": .int(file.bytes.count),
        ])
        return payload
    }

    /// A provider-suggested name as one path component: separators and control
    /// characters become `_`, and it never starts with `.`.
    static func safeName(_ name: String) -> String {
        var safe = String(
            String.UnicodeScalarView(
                name.unicodeScalars.map { $0 == "/" || $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F ? "_" : $0 }
            )
        )
        if safe.hasPrefix(".") { safe = "_" + safe.dropFirst() }
        return String(safe.prefix(200))
    }
}
