import Wire

/// Edits a JSON config file (an MCP client's) by splicing text in place.
///
/// Re-serializing a user's `~/.claude.json` would reorder its keys and reformat it;
/// splicing only the bytes of the values that change leaves every other server, unknown
/// key, comment and blank line exactly as it was.
public struct JSONConfigEditor {
    /// Why an existing file is left alone.
    public struct Malformed: Error, Sendable, Equatable {
        /// What is wrong, with the byte offset.
        public let reason: String
    }

    /// Whether `//` and `/* */` comments and trailing commas are accepted (VS Code's JSONC).
    public let allowsComments: Bool

    /// Creates an editor.
    public init(allowsComments: Bool) {
        self.allowsComments = allowsComments
    }

    /// The text with `container.name` holding `entry`'s members; `nil` when it already does.
    ///
    /// Objects are merged, not replaced: members of the existing entry that `entry` does
    /// not mention (keys the user added) stay, with their formatting.
    public func upsert(
        _ entry: JSONValue,
        named name: String,
        under container: String,
        in text: String
    ) throws(Malformed) -> String? {
        var updated = text
        for (path, value) in leaves(of: entry, at: [container, name]) {
            updated = try set(value, at: path, in: updated)
        }
        return updated == text ? nil : updated
    }

    /// Every non-object value in `value` with its path; an empty object is a leaf.
    private func leaves(of value: JSONValue, at path: [String]) -> [([String], JSONValue)] {
        guard case .object(let members) = value, !members.isEmpty else { return [(path, value)] }
        return members.keys.sorted().flatMap { leaves(of: members[$0] ?? .null, at: path + [$0]) }
    }

    /// The text with the value at `path` (object keys from the root) set to `value`,
    /// creating the objects on the way; unchanged when it is already equal.
    public func set(_ value: JSONValue, at path: [String], in text: String) throws(Malformed) -> String {
        let bytes = Array(text.utf8)
        guard let first = path.first else { return text }
        if bytes.allSatisfy({ [0x20, 0x0A, 0x0D, 0x09].contains($0) }) {
            return nested(Array(path.dropFirst()), value, under: first).prettyJSONText
        }
        var node = try document(bytes)
        let unit = indentUnit(bytes, root: node)
        var level = 1
        for (depth, key) in path.enumerated() {
            guard case .object(let members, let range) = node else {
                throw Malformed(reason: "\"\(path[..<depth].joined(separator: "."))\" is not an object")
            }
            guard let member = members.last(where: { $0.key == key }) else {
                let rest = nested(Array(path[(depth + 1)...]), value, under: nil)
                return splice(bytes, into: range, members: members, key: key, value: rest, level: level, unit: unit)
            }
            level = lineIndent(bytes, at: member.keyStart).count / max(1, unit.count)
            if depth == path.count - 1 {
                if (try? JSONParser.parse(bytes[member.value.range])) == value { return text }
                let replacement = render(value, level: level, unit: unit)
                return String(
                    decoding: bytes[..<member.value.range.lowerBound] + Array(replacement.utf8)
                        + bytes[member.value.range.upperBound...],
                    as: UTF8.self
                )
            }
            level += 1
            node = member.value
        }
        return text
    }

    /// The text without the member at `path`; `nil` when there is none.
    ///
    /// Exactly the bytes an insertion by ``set(_:at:in:)`` added go: the member, and the
    /// comma and line break that joined it to its neighbour. The only member of an object
    /// goes with the object when it sits on lines of its own (an install created both), and
    /// alone when it hugs the braces (an install filled an empty `{}`, which comes back).
    public func remove(at path: [String], in text: String) throws(Malformed) -> String? {
        let bytes = Array(text.utf8)
        guard !bytes.allSatisfy({ [0x20, 0x0A, 0x0D, 0x09].contains($0) }) else { return nil }
        var node = try document(bytes)
        for (depth, key) in path.enumerated() {
            guard case .object(let members, let range) = node,
                let position = members.lastIndex(where: { $0.key == key })
            else { return nil }
            guard depth == path.count - 1 else {
                node = members[position].value
                continue
            }
            let removed: Range<Int>
            if position > 0 {
                removed = members[position - 1].value.range.upperBound..<members[position].value.range.upperBound
            } else if members.count > 1 {
                removed = members[0].keyStart..<members[1].keyStart
            } else if members[0].keyStart == range.lowerBound + 1 {
                // Hugging its braces: put into an object that was empty, which stays.
                removed = members[0].keyStart..<members[0].value.range.upperBound
            } else if depth > 0 {
                // On lines of its own, the only member: the object came with it, and goes.
                return try remove(at: Array(path.dropLast()), in: text)
            } else {
                removed = (range.lowerBound + 1)..<(range.upperBound - 1)
            }
            return String(decoding: bytes[..<removed.lowerBound] + bytes[removed.upperBound...], as: UTF8.self)
        }
        return nil
    }

    /// The text with `element` appended to the array at `key` of the root (created when
    /// missing), unless an element with the same `"id"` is there.
    public func appendUnlessPresent(
        _ element: JSONValue,
        toArray key: String,
        in text: String
    ) throws(Malformed)
        -> String
    {
        let bytes = Array(text.utf8)
        guard !bytes.allSatisfy({ [0x20, 0x0A, 0x0D, 0x09].contains($0) }),
            case .object(let members, _) = try document(bytes),
            let member = members.last(where: { $0.key == key })
        else { return try set([element], at: [key], in: text) }
        guard case .array(let elements, let range) = member.value else {
            throw Malformed(reason: "\"\(key)\" is not an array")
        }
        let existing = elements.compactMap { try? JSONParser.parse(bytes[$0.range]) }
        if existing.contains(where: { $0["id"] != nil && $0["id"] == element["id"] }) { return text }
        let unit = indentUnit(bytes, root: try document(bytes))
        let level = lineIndent(bytes, at: member.keyStart).count / max(1, unit.count) + 1
        let rendered = String(repeating: unit, count: level) + render(element, level: level, unit: unit)
        guard let last = elements.last else {
            // Hugging the brackets, before whatever was between them, so that removing it
            // gives back the empty array byte for byte.
            let position = range.lowerBound + 1
            let inserted = render(element, level: level - 1, unit: unit)
            return String(decoding: bytes[..<position] + Array(inserted.utf8) + bytes[position...], as: UTF8.self)
        }
        let position = last.range.upperBound
        return String(decoding: bytes[..<position] + Array((",\n" + rendered).utf8) + bytes[position...], as: UTF8.self)
    }

    /// The text without the root array `key`'s elements whose `"id"` satisfies `matches`;
    /// the array itself goes when nothing else is left in it, unless its last element hugs
    /// the brackets (it was put into an empty array, which comes back as it was).
    public func removeElements(
        ofArray key: String,
        in text: String,
        where matches: (String) -> Bool
    )
        throws(Malformed) -> String?
    {
        var text = text
        var changed = false
        while true {
            let bytes = Array(text.utf8)
            guard !bytes.allSatisfy({ [0x20, 0x0A, 0x0D, 0x09].contains($0) }),
                case .object(let members, _) = try document(bytes),
                let member = members.last(where: { $0.key == key }),
                case .array(let elements, let arrayRange) = member.value,
                let position = elements.firstIndex(where: {
                    (try? JSONParser.parse(bytes[$0.range]))?["id"]?.stringValue.map(matches) == true
                })
            else { break }
            changed = true
            guard elements.count > 1 else {
                if elements[0].range.lowerBound == arrayRange.lowerBound + 1 {
                    // Hugging its brackets: put into an array that was empty, which stays.
                    text = String(
                        decoding: bytes[..<elements[0].range.lowerBound] + bytes[elements[0].range.upperBound...],
                        as: UTF8.self
                    )
                } else {
                    text = try remove(at: [key], in: text) ?? text
                }
                break
            }
            let removed =
                position > 0
                ? elements[position - 1].range.upperBound..<elements[position].range.upperBound
                : elements[0].range.lowerBound..<elements[1].range.lowerBound
            text = String(decoding: bytes[..<removed.lowerBound] + bytes[removed.upperBound...], as: UTF8.self)
        }
        return changed ? text : nil
    }

    func document(_ bytes: [UInt8]) throws(Malformed) -> Node {
        var scanner = Scanner(bytes: bytes, allowsComments: allowsComments)
        let root = try scanner.document()
        guard case .object = root else { throw Malformed(reason: "the top level is not a JSON object") }
        return root
    }

    /// `value` wrapped in objects along `path` (and under `key` when given).
    private func nested(_ path: [String], _ value: JSONValue, under key: String?) -> JSONValue {
        let inner = path.reversed().reduce(value) { partial, name in [name: partial] }
        return key.map { [$0: inner] } ?? inner
    }

    /// Inserts `"key": value` as the last member of the object spanning `range`.
    private func splice(
        _ bytes: [UInt8],
        into range: Range<Int>,
        members: [Member],
        key: String,
        value: JSONValue,
        level: Int,
        unit: String
    ) -> String {
        var keyText: [UInt8] = []
        JSONValue.writeString(key, to: &keyText)
        let indent = String(repeating: unit, count: level)
        let member = indent + String(decoding: keyText, as: UTF8.self) + ": " + render(value, level: level, unit: unit)
        let closing = range.upperBound - 1
        guard let last = members.last else {
            // Hugging the braces, before whatever was between them, so that removing it gives
            // back the empty object byte for byte.
            let position = range.lowerBound + 1
            let inserted =
                String(decoding: keyText, as: UTF8.self) + ": " + render(value, level: max(0, level - 1), unit: unit)
            return String(decoding: bytes[..<position] + Array(inserted.utf8) + bytes[position...], as: UTF8.self)
        }
        // After the last member (and its trailing comma, in JSONC), before anything else.
        var position = last.value.range.upperBound
        var scanner = Scanner(bytes: bytes, allowsComments: allowsComments)
        scanner.index = position
        scanner.skipTrivia()
        let trailingComma = scanner.index < closing && bytes[scanner.index] == UInt8(ascii: ",")
        if trailingComma { position = scanner.index + 1 }
        let inserted = (trailingComma ? "\n" : ",\n") + member + (trailingComma ? "," : "")
        return String(decoding: bytes[..<position] + Array(inserted.utf8) + bytes[position...], as: UTF8.self)
    }

    /// The value as pretty JSON whose inner lines sit one level deeper than `level`.
    private func render(_ value: JSONValue, level: Int, unit: String) -> String {
        var text = value.prettyJSONText
        text.removeLast()
        let prefix = String(repeating: unit, count: level)
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { index, line in
            let reindented = line.replacingLeadingSpaces(with: unit)
            return index == 0 ? reindented : prefix + reindented
        }.joined(separator: "\n")
    }

    /// The file's indentation unit, from the root's first member (two spaces when unknown).
    private func indentUnit(_ bytes: [UInt8], root: Node) -> String {
        guard case .object(let members, _) = root, let first = members.first else { return "  " }
        let indent = lineIndent(bytes, at: first.keyStart)
        return indent.isEmpty ? "  " : indent
    }

    private func lineIndent(_ bytes: [UInt8], at position: Int) -> String {
        var start = position
        while start > 0, bytes[start - 1] == 0x20 || bytes[start - 1] == 0x09 { start -= 1 }
        guard start == 0 || bytes[start - 1] == 0x0A else { return "" }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }
}

extension Substring {
    /// The line with its leading two-space indentation steps replaced by `unit`.
    fileprivate func replacingLeadingSpaces(with unit: String) -> String {
        let spaces = prefix { $0 == " " }.count
        return String(repeating: unit, count: spaces / 2) + dropFirst(spaces - spaces % 2)
    }
}
