import Foundation

/// `resources/list` and `resources/read`: the complete data of results trimmed to fit
/// the model's budget, saved under the state directory. Nothing else is ever served.
extension MCPServer {
    func listResources(_ params: [String: JSONValue], modern: Bool) -> Result<JSONValue, RPCError> {
        let resources: [JSONValue] = services.savedResults.list().prefix(100).map { entry in
            [
                "uri": .string(entry.uri), "name": .string(entry.name), "mimeType": "application/json",
                "size": .int(entry.bytes),
                "description": "The complete data of a tool result that was trimmed to fit the model's budget",
            ]
        }
        var result: [String: JSONValue] = ["resources": .array(resources)]
        if modern {
            // New results appear with every trimmed call: never cache the list.
            result["ttlMs"] = 0
            result["cacheScope"] = "private"
        }
        return .success(.object(result))
    }

    func readResource(_ params: [String: JSONValue], modern: Bool) -> Result<JSONValue, RPCError> {
        guard let uri = params["uri"]?.stringValue else {
            return .failure(.invalidParams("\"uri\" (a string) is required"))
        }
        // 2026-07-28 made "not found" -32602; earlier revisions use -32002.
        let notFound = RPCError(
            code: modern ? -32602 : -32002,
            message: "Resource not found",
            data: ["uri": .string(uri)]
        )
        guard let data = services.savedResults.read(uri) else { return .failure(notFound) }
        var result: [String: JSONValue] = [
            "contents": [
                [
                    "uri": .string(uri), "mimeType": "application/json",
                    "text": .string(String(decoding: data, as: UTF8.self)),
                ]
            ]
        ]
        if modern {
            // A saved result never changes.
            result["ttlMs"] = .int(3_600_000)
            result["cacheScope"] = "private"
        }
        return .success(.object(result))
    }
}
