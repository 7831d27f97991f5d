import Wire

/// A JSON (or JSONC) scanner that keeps every member's and element's byte range, so the
/// editor can splice text without re-serializing anything else.
extension JSONConfigEditor {
    struct Member {
        let key: String
        let keyStart: Int
        let value: Node
    }

    indirect enum Node {
        case object([Member], Range<Int>)
        case array([Node], Range<Int>)
        case other(Range<Int>)

        var range: Range<Int> {
            switch self {
            case .object(_, let range), .array(_, let range), .other(let range): return range
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
                var elements: [Node] = []
                skipTrivia()
                while index < bytes.count, bytes[index] != UInt8(ascii: "]") {
                    elements.append(try value(depth: depth + 1))
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
                return .array(elements, start..<index)
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
