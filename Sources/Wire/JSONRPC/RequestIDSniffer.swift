/// Finds the top-level `"id"` of a JSON-RPC message from its first bytes, without
/// parsing the rest: an over-long line is discarded unread, but its sender still gets an
/// error under its own id instead of waiting forever.
public enum RequestIDSniffer {
    /// The id, when the prefix shows it before it ends.
    public static func sniff(_ prefix: ArraySlice<UInt8>) -> RequestID? {
        var index = prefix.startIndex
        func skipWhitespace() {
            while index < prefix.endIndex, [0x20, 0x09, 0x0A, 0x0D].contains(prefix[index]) { index += 1 }
        }
        func readString() -> String? {
            guard index < prefix.endIndex, prefix[index] == UInt8(ascii: "\"") else { return nil }
            let start = index
            index += 1
            while index < prefix.endIndex {
                if prefix[index] == UInt8(ascii: "\\") {
                    index += 2
                    continue
                }
                if prefix[index] == UInt8(ascii: "\"") {
                    index += 1
                    return (try? JSONParser.parse(prefix[start..<index]))?.stringValue
                }
                index += 1
            }
            return nil
        }
        // Skips one value; false when the prefix ends inside it.
        func skipValue() -> Bool {
            guard index < prefix.endIndex else { return false }
            let first = prefix[index]
            if first == UInt8(ascii: "\"") { return readString() != nil }
            if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
                var depth = 0
                while index < prefix.endIndex {
                    let byte = prefix[index]
                    if byte == UInt8(ascii: "\"") {
                        guard readString() != nil else { return false }
                        continue
                    }
                    index += 1
                    if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") { depth += 1 }
                    if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                        depth -= 1
                        if depth == 0 { return true }
                    }
                }
                return false
            }
            // A number or literal runs to the next delimiter.
            while index < prefix.endIndex {
                switch prefix[index] {
                case UInt8(ascii: ","), UInt8(ascii: "}"), 0x20, 0x09, 0x0A, 0x0D: return true
                default: index += 1
                }
            }
            return false
        }
        skipWhitespace()
        guard index < prefix.endIndex, prefix[index] == UInt8(ascii: "{") else { return nil }
        index += 1
        while true {
            skipWhitespace()
            guard let key = readString() else { return nil }
            skipWhitespace()
            guard index < prefix.endIndex, prefix[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            skipWhitespace()
            if key == "id" {
                let start = index
                guard skipValue() else { return nil }
                return (try? JSONParser.parse(prefix[start..<index])).flatMap(RequestID.init)
            }
            guard skipValue() else { return nil }
            skipWhitespace()
            guard index < prefix.endIndex, prefix[index] == UInt8(ascii: ",") else { return nil }
            index += 1
        }
    }
}
