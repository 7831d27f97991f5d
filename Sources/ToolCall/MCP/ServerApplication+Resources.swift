import Foundation
import Wire

/// Resources: the complete data of results trimmed to fit the model's budget, saved under
/// the state directory. Nothing else is ever served.
extension ServerApplication {
    /// The newest saved results (at most 100).
    public func listResources() -> [JSONValue] {
        services.savedResults.list().prefix(100).map { entry in
            [
                "uri": .string(entry.uri), "name": .string(entry.name), "mimeType": .string("application/json"),
                "size": .int(entry.bytes),
                "description": "The complete data of a tool result that was trimmed to fit the model's budget",
            ]
        }
    }

    /// How saved results are addressed.
    public func listResourceTemplates() -> [JSONValue] {
        [
            [
                "uriTemplate": .string(SavedResults.scheme + "{name}"),
                "name": .string("saved-result"),
                "title": .string("Saved tool result"),
                "mimeType": .string("application/json"),
                "description": .string(
                    "The complete data of a tool result that was trimmed to fit the model's budget; the result's "
                        + "resource_link names it."
                ),
            ]
        ]
    }

    /// A saved result's complete data, or `nil` when there is no such result.
    public func readResource(uri: String) -> [JSONValue]? {
        // Served by descriptor: no symlink, no hard link, nothing outside the results folder.
        guard let data = services.savedResults.read(uri) else { return nil }
        return [
            [
                "uri": .string(uri), "mimeType": .string("application/json"),
                "text": .string(String(decoding: data, as: UTF8.self)),
            ]
        ]
    }
}
