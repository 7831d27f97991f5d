extension JSONValue {
    /// The size of this value in the widest serialization a client is known to give the
    /// model: Python's `json.dumps` defaults, as the OpenAI Agents SDK writes
    /// `structuredContent`, with every non-ASCII character escaped (`\u7f8e`, six bytes for
    /// what UTF-8 writes in three) and a space after each `,` and `:`.
    ///
    /// A 100-item Chinese page of 51,935 UTF-8 bytes is 104,657 bytes there, so a bound
    /// measured in UTF-8 alone does not hold for every client.
    public var widestJSONSize: Int {
        JSONValue.asciiEscapedSize(ofUTF8: jsonBytes) + separatorCount
    }

    /// The same measure when the compact JSON is already at hand.
    package static func widestJSONSize(of value: JSONValue, compact text: String) -> Int {
        asciiEscapedSize(ofUTF8: text.utf8) + value.separatorCount
    }

    /// The size of UTF-8 text with every non-ASCII scalar written `\uXXXX` (a surrogate
    /// pair, twelve bytes, beyond the Basic Multilingual Plane).
    package static func asciiEscapedSize(ofUTF8 bytes: some Sequence<UInt8>) -> Int {
        var size = 0
        for byte in bytes {
            switch byte {
            case 0..<0x80: size += 1
            case 0xC0..<0xF0: size += 6
            case 0xF0...: size += 12
            default: break  // a continuation byte, counted with its lead byte
            }
        }
        return size
    }

    /// The `,` and `:` between members and elements, each followed by a space there.
    var separatorCount: Int {
        switch self {
        case .array(let elements):
            return max(0, elements.count - 1) + elements.reduce(0) { $0 + $1.separatorCount }
        case .object(let members):
            return members.count + max(0, members.count - 1) + members.values.reduce(0) { $0 + $1.separatorCount }
        default:
            return 0
        }
    }

    /// The longest prefix of `text` whose JSON string body, escaped as above, fits `limit`.
    package static func prefix(of text: String, escapedWithin limit: Int) -> String {
        var size = 0
        var end = text.unicodeScalars.startIndex
        for index in text.unicodeScalars.indices {
            let scalar = text.unicodeScalars[index]
            let cost: Int
            switch scalar.value {
            case 0x22, 0x5C: cost = 2
            case 0..<0x20: cost = 6
            case 0x20..<0x80: cost = 1
            case 0x80..<0x10000: cost = 6
            default: cost = 12
            }
            guard size + cost <= limit else { break }
            size += cost
            end = text.unicodeScalars.index(after: index)
        }
        return String(text.unicodeScalars[..<end])
    }
}
