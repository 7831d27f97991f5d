import Wire

/// Shrinks a JSON value to a byte budget, saying what was left out.
///
/// Claude Code caps a tool result at about 25k tokens and other clients truncate
/// silently; a model that sees "kept 40 of 100 items" can page or narrow its query,
/// one that sees half a JSON document cannot.
public enum JSONTrimmer {
    /// The trimmed value and one note per cut ("data.items: kept 40 of 100 elements").
    ///
    /// `limit` holds in the widest serialization a client gives the model
    /// (`JSONValue.widestJSONSize`: non-ASCII escaped), so it holds in UTF-8 too.
    public static func trim(
        _ value: JSONValue,
        toFit limit: Int,
        path root: String = "data"
    ) -> (value: JSONValue, notes: [String]) {
        var value = value
        var notes: [String] = []
        var originalCounts: [String: Int] = [:]
        var size = value.widestJSONSize
        var rounds = 0
        while size > limit, rounds < 12 {
            rounds += 1
            guard let largest = largestArray(in: value, path: [], label: root), largest.count > 1 else { break }
            // Elements of one list are usually alike in size: cut in proportion, with margin.
            let excess = Double(size - limit)
            let perElement = Double(largest.bytes) / Double(largest.count)
            let keep = max(1, min(largest.count - 1, largest.count - Int((excess / perElement).rounded(.up)) - 1))
            value = replacing(in: value, at: largest.path) { array in
                .array(Array((array.arrayValue ?? []).prefix(keep)))
            }
            let original = originalCounts[largest.label] ?? largest.count
            originalCounts[largest.label] = original
            notes.removeAll { $0.hasPrefix(largest.label + ":") }
            notes.append("\(largest.label): kept the first \(keep) of \(original) elements")
            size = value.widestJSONSize
        }
        if size > limit {
            value = truncatingStrings(value, to: 400)
            notes.append("long strings cut to 400 characters")
            size = value.widestJSONSize
        }
        if size > limit {
            let text = value.jsonText
            value = ["truncated_json_prefix": .string(JSONValue.prefix(of: text, escapedWithin: max(0, limit - 100)))]
            notes.append("the value was cut to its first \(limit) bytes")
        }
        return (value, notes)
    }

    enum Step {
        case key(String)
        case index(Int)
    }

    struct Candidate {
        let path: [Step]
        let label: String
        let count: Int
        let bytes: Int
    }

    static func largestArray(in value: JSONValue, path: [Step], label: String) -> Candidate? {
        switch value {
        case .array(let elements):
            var best = Candidate(path: path, label: label, count: elements.count, bytes: value.widestJSONSize)
            for (position, element) in elements.enumerated() {
                if let inner = largestArray(
                    in: element,
                    path: path + [.index(position)],
                    label: "\(label)[\(position)]"
                ),
                    inner.bytes > best.bytes / 2, inner.count > 1
                {
                    best = inner
                }
            }
            return best
        case .object(let members):
            var best: Candidate?
            for key in members.keys.sorted() {
                guard let member = members[key],
                    let candidate = largestArray(in: member, path: path + [.key(key)], label: "\(label).\(key)")
                else { continue }
                if best == nil || candidate.bytes > (best?.bytes ?? 0) { best = candidate }
            }
            return best
        default:
            return nil
        }
    }

    private static func replacing(
        in value: JSONValue,
        at path: [Step],
        with transform: (JSONValue) -> JSONValue
    ) -> JSONValue {
        guard let first = path.first else { return transform(value) }
        let rest = Array(path.dropFirst())
        switch (first, value) {
        case (.key(let key), .object(var members)):
            if let member = members[key] { members[key] = replacing(in: member, at: rest, with: transform) }
            return .object(members)
        case (.index(let position), .array(var elements)) where elements.indices.contains(position):
            elements[position] = replacing(in: elements[position], at: rest, with: transform)
            return .array(elements)
        default:
            return value
        }
    }

    private static func truncatingStrings(_ value: JSONValue, to length: Int) -> JSONValue {
        switch value {
        case .string(let text) where text.count > length:
            return .string(String(text.prefix(length)) + "…[\(text.count - length) more characters]")
        case .array(let elements):
            return .array(elements.map { truncatingStrings($0, to: length) })
        case .object(let members):
            return .object(members.mapValues { truncatingStrings($0, to: length) })
        default:
            return value
        }
    }
}
