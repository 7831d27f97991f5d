/// Puts one server entry into a JSON config file by editing its text in place.
///
/// Re-serializing a user's `~/.claude.json` would reorder its keys and reformat it;
/// splicing only the entry's own bytes leaves every other server, unknown key, comment
/// and blank line exactly as it was.
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

    /// The text with `container.name` set to `entry`; `nil` when it is already equal.
    public func upsert(
        _ entry: JSONValue,
        named name: String,
        under container: String,
        in text: String
    ) throws(Malformed) -> String? {
        let bytes = Array(text.utf8)
        if bytes.allSatisfy({ [0x20, 0x0A, 0x0D, 0x09].contains($0) }) {
            return ([container: [name: entry]] as JSONValue).prettyJSONText
        }
        var scanner = Scanner(bytes: bytes, allowsComments: allowsComments)
        let root = try scanner.document()
        guard case .object(let rootMembers, let rootRange) = root else {
            throw Malformed(reason: "the top level is not a JSON object")
        }
        let unit = indentUnit(bytes, members: rootMembers)
        guard let holder = rootMembers.last(where: { $0.key == container }) else {
            return splice(
                bytes,
                into: rootRange,
                members: rootMembers,
                key: container,
                value: [name: entry],
                level: 1,
                unit: unit
            )
        }
        guard case .object(let servers, let serversRange) = holder.value else {
            throw Malformed(reason: "\"\(container)\" is not an object")
        }
        if let existing = servers.last(where: { $0.key == name }) {
            let current = try? JSONParser.parse(bytes[existing.value.range])
            if current == entry { return nil }
            let level = lineIndent(bytes, at: existing.keyStart).count / max(1, unit.count)
            let replacement = render(entry, level: level, unit: unit)
            return String(
                decoding: bytes[..<existing.value.range.lowerBound] + Array(replacement.utf8)
                    + bytes[existing.value.range.upperBound...],
                as: UTF8.self
            )
        }
        let level = lineIndent(bytes, at: holder.keyStart).count / max(1, unit.count) + 1
        return splice(bytes, into: serversRange, members: servers, key: name, value: entry, level: level, unit: unit)
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
            let outer = String(repeating: unit, count: max(0, level - 1))
            let inserted = "{\n" + member + "\n" + outer + "}"
            return String(
                decoding: bytes[..<range.lowerBound] + Array(inserted.utf8) + bytes[range.upperBound...],
                as: UTF8.self
            )
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

    /// The file's indentation unit, from its first member (two spaces when unknown).
    private func indentUnit(_ bytes: [UInt8], members: [Member]) -> String {
        guard let first = members.first else { return "  " }
        let indent = lineIndent(bytes, at: first.keyStart)
        return indent.isEmpty ? "  " : indent
    }

    private func lineIndent(_ bytes: [UInt8], at position: Int) -> String {
        var start = position
        while start > 0, bytes[start - 1] == 0x20 || bytes[start - 1] == 0x09 { start -= 1 }
        guard start == 0 || bytes[start - 1] == 0x0A else { return "" }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    // MARK: Scanning with byte ranges

    struct Member {
        let key: String
        let keyStart: Int
        let value: Node
    }

    indirect enum Node {
        case object([Member], Range<Int>)
        case other(Range<Int>)

        var range: Range<Int> {
            switch self {
            case .object(_, let range), .other(let range): return range
            }
        }
    }

    struct Scanner {
        let bytes: [UInt8]
        let allowsComments: Bool
        var index = 0

        init(bytes: [UInt8], allowsComments: Bool) {
            self.bytes = bytes
            self.allowsComments = allowsComments
        }

        func fail(_ reason: String) -> Malformed { Malformed(reason: "\(reason) at byte \(index)") }

        mutating func document() throws(Malformed) -> Node {
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
            skipTrivia()
            let node = try value(depth: 0)
            skipTrivia()
            guard index == bytes.count else { throw fail("unexpected text after the JSON value") }
            return node
        }

        mutating func skipTrivia() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x0A, 0x0D, 0x09:
                    index += 1
                case UInt8(ascii: "/")
                where allowsComments && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "/"):
                    while index < bytes.count, bytes[index] != 0x0A { index += 1 }
                case UInt8(ascii: "/")
                where allowsComments && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "*"):
                    index += 2
                    while index + 1 < bytes.count,
                        !(bytes[index] == UInt8(ascii: "*") && bytes[index + 1] == UInt8(ascii: "/"))
                    { index += 1 }
                    index = min(bytes.count, index + 2)
                default:
                    return
                }
            }
        }

        mutating func value(depth: Int) throws(Malformed) -> Node {
            guard depth < 200 else { throw fail("nesting too deep") }
            guard index < bytes.count else { throw fail("unexpected end of file") }
            let start = index
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var members: [Member] = []
                skipTrivia()
                while index < bytes.count, bytes[index] != UInt8(ascii: "}") {
                    guard bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a key") }
                    let keyStart = index
                    let keyEnd = try skipString()
                    guard let key = (try? JSONParser.parse(bytes[keyStart..<keyEnd]))?.stringValue else {
                        throw fail("bad key")
                    }
                    skipTrivia()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                    index += 1
                    skipTrivia()
                    members.append(Member(key: key, keyStart: keyStart, value: try value(depth: depth + 1)))
                    skipTrivia()
                    guard index < bytes.count else { throw fail("unterminated object") }
                    if bytes[index] == UInt8(ascii: ",") {
                        index += 1
                        skipTrivia()
                        if !allowsComments, index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                            throw fail("trailing comma")
                        }
                    } else if bytes[index] != UInt8(ascii: "}") {
                        throw fail("expected ',' or '}'")
                    }
                }
                guard index < bytes.count else { throw fail("unterminated object") }
                index += 1
                return .object(members, start..<index)
            case UInt8(ascii: "["):
                index += 1
                skipTrivia()
                while index < bytes.count, bytes[index] != UInt8(ascii: "]") {
                    _ = try value(depth: depth + 1)
                    skipTrivia()
                    guard index < bytes.count else { throw fail("unterminated array") }
                    if bytes[index] == UInt8(ascii: ",") {
                        index += 1
                        skipTrivia()
                        if !allowsComments, index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                            throw fail("trailing comma")
                        }
                    } else if bytes[index] != UInt8(ascii: "]") {
                        throw fail("expected ',' or ']'")
                    }
                }
                guard index < bytes.count else { throw fail("unterminated array") }
                index += 1
                return .other(start..<index)
            case UInt8(ascii: "\""):
                _ = try skipString()
                return .other(start..<index)
            default:
                // A number or literal: the strict parser decides whether it is valid.
                while index < bytes.count, !",]}\n\r\t /".utf8.contains(bytes[index]) { index += 1 }
                guard (try? JSONParser.parse(bytes[start..<index])) != nil else { throw fail("invalid value") }
                return .other(start..<index)
            }
        }

        /// Skips a string literal, returning the index after its closing quote.
        mutating func skipString() throws(Malformed) -> Int {
            let start = index
            index += 1
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\\"): index += 2
                case UInt8(ascii: "\""):
                    index += 1
                    guard (try? JSONParser.parse(bytes[start..<index])) != nil else { throw fail("invalid string") }
                    return index
                default: index += 1
                }
            }
            throw fail("unterminated string")
        }
    }
}

extension Substring {
    /// The line with its leading two-space indentation steps replaced by `unit`.
    fileprivate func replacingLeadingSpaces(with unit: String) -> String {
        let spaces = prefix { $0 == " " }.count
        return String(repeating: unit, count: spaces / 2) + dropFirst(spaces - spaces % 2)
    }
}
