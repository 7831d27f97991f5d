import Catalog
import Wire

/// One page of a saved result, for clients that cannot read resources (Codex, Gemini CLI,
/// Windsurf, Cherry Studio declare no `resources` capability): what `social_data_read_result`
/// answers, so data already paid for is reachable everywhere.
///
/// A result is paged by the items of its largest list (the list the trimmer cut); a
/// result without one is paged by characters of its JSON text.
enum SavedResultPage {
    /// The most the items of one page may take in their widest serialization: the page is
    /// then rendered whole within `ResultFormatter.formBudget`, report lines included, so it
    /// is never trimmed (and saved) again.
    static let budget = 40_000
    /// The most characters of a page of JSON text (each escapes to at most 12 bytes).
    static let textCharacters = 3_000
    /// The other members of the data are shown on the first page when they are this small.
    static let otherFieldsBudget = 4_000

    /// The page of the saved result `reference` names, from `offset`, at most `limit` items.
    static func read(
        _ reference: String,
        offset: Int,
        limit: Int?,
        in store: SavedResults
    ) -> Result<JSONValue, ToolFailure> {
        guard let uri = store.uri(forReference: reference), let bytes = store.read(uri),
            let data = try? JSONParser.parse(bytes)
        else {
            return .failure(
                .upstream(
                    UpstreamError(
                        .notFound,
                        provider: "social-data-mcp",
                        advice: "No saved result is called \(UpstreamText.quoted(reference)): pass the resource_uri "
                            + "or the id a trimmed result gave (saved results are kept 7 days)."
                    )
                )
            )
        }
        guard let list = JSONTrimmer.largestArray(in: data, path: [], label: "data"),
            let items = value(in: data, at: list.path)?.arrayValue
        else {
            return .success(textPage(data.jsonText, uri: uri, offset: offset, limit: limit))
        }
        var page: [JSONValue] = []
        var size = 2
        for item in items.dropFirst(offset) {
            let itemSize = item.widestJSONSize + 1
            guard page.count < (limit ?? Int.max), page.isEmpty || size + itemSize <= budget else { break }
            page.append(item)
            size += itemSize
        }
        let end = min(items.count, offset + page.count)
        var object: [String: JSONValue] = [
            "result": .string(uri),
            "list": .string(list.label),
            "total_items": .int(items.count),
            "offset": .int(offset),
            "returned": .int(page.count),
            "next_offset": end < items.count ? .int(end) : .null,
            "items": .array(page),
        ]
        if offset == 0 {
            let others = replacing(in: data, at: list.path, with: .array([]))
            if others.widestJSONSize <= otherFieldsBudget { object["other_fields"] = others }
        }
        return .success(.object(object))
    }

    /// A page of a result that holds no list: `limit` characters of its JSON from `offset`.
    private static func textPage(_ text: String, uri: String, offset: Int, limit: Int?) -> JSONValue {
        let scalars = Array(text.unicodeScalars)
        let start = min(offset, scalars.count)
        let end = min(scalars.count, start + min(limit ?? textCharacters, textCharacters))
        var chunk = String.UnicodeScalarView()
        chunk.append(contentsOf: scalars[start..<end])
        return [
            "result": .string(uri),
            "total_characters": .int(scalars.count),
            "offset": .int(start),
            "next_offset": end < scalars.count ? .int(end) : .null,
            "json_text": .string(String(chunk)),
        ]
    }

    private static func value(in value: JSONValue, at path: [JSONTrimmer.Step]) -> JSONValue? {
        guard let first = path.first else { return value }
        switch (first, value) {
        case (.key(let key), .object(let members)):
            return members[key].flatMap { self.value(in: $0, at: Array(path.dropFirst())) }
        case (.index(let position), .array(let elements)) where elements.indices.contains(position):
            return self.value(in: elements[position], at: Array(path.dropFirst()))
        default:
            return nil
        }
    }

    private static func replacing(in value: JSONValue, at path: [JSONTrimmer.Step], with new: JSONValue) -> JSONValue {
        guard let first = path.first else { return new }
        let rest = Array(path.dropFirst())
        switch (first, value) {
        case (.key(let key), .object(var members)):
            if let member = members[key] { members[key] = replacing(in: member, at: rest, with: new) }
            return .object(members)
        case (.index(let position), .array(var elements)) where elements.indices.contains(position):
            elements[position] = replacing(in: elements[position], at: rest, with: new)
            return .array(elements)
        default:
            return value
        }
    }
}
