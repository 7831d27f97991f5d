import Foundation

extension TOMLConfigEditor {
    struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var line = 1
        var headers: [Header] = []
        var keyPaths: [KeyPath] = []
        private var currentTable: [String] = []
        private var definedTables: Set<[String]> = []
        private var definedKeys: Set<[String]> = []
        /// The keys leading to the inline table being read.
        private var inlinePath: [String] = []
        /// String literals read in the current top-level value.
        private var strings: [String] = []

        init(bytes: [UInt8]) { self.bytes = bytes }

        func fail(_ reason: String) -> Malformed { Malformed(reason: "line \(line): \(reason)") }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func document() throws(Malformed) {
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
            while index < bytes.count {
                skipSpaces()
                guard let byte = current else { break }
                switch byte {
                case UInt8(ascii: "#"): skipComment()
                case 0x0A:
                    index += 1
                    line += 1
                case 0x0D:
                    guard index + 1 < bytes.count, bytes[index + 1] == 0x0A else { throw fail("bare carriage return") }
                    index += 1
                case UInt8(ascii: "["): try tableHeader()
                default: try keyValue(inline: false)
                }
            }
        }

        mutating func skipSpaces() {
            while let byte = current, byte == 0x20 || byte == 0x09 { index += 1 }
        }

        mutating func skipComment() {
            while let byte = current, byte != 0x0A { index += 1 }
        }

        /// Spaces, then an optional comment, then a newline or the end.
        mutating func endOfLine() throws(Malformed) {
            skipSpaces()
            if current == UInt8(ascii: "#") { skipComment() }
            if current == 0x0D { index += 1 }
            guard current == nil || current == 0x0A else { throw fail("unexpected text after a value") }
        }

        mutating func tableHeader() throws(Malformed) {
            let offset = lineStart()
            index += 1
            let isArray = current == UInt8(ascii: "[")
            if isArray { index += 1 }
            skipSpaces()
            let path = try key()
            skipSpaces()
            guard current == UInt8(ascii: "]") else { throw fail("expected ']' after the table name") }
            index += 1
            if isArray {
                guard current == UInt8(ascii: "]") else { throw fail("expected ']]'") }
                index += 1
                // Each [[element]] is a fresh table: its keys may repeat the previous element's.
                definedKeys = definedKeys.filter { !$0.starts(with: path) }
                definedTables = definedTables.filter { !($0.starts(with: path) && $0.count > path.count) }
            } else {
                guard !definedTables.contains(path) else {
                    throw fail("table [\(path.joined(separator: "."))] is defined twice")
                }
                definedTables.insert(path)
            }
            currentTable = path
            headers.append(Header(path: path, offset: offset))
            try endOfLine()
        }

        private func lineStart() -> Int {
            var position = index
            while position > 0, bytes[position - 1] != 0x0A { position -= 1 }
            return position
        }

        mutating func keyValue(inline: Bool) throws(Malformed) {
            let keyLine = line
            let lineBegin = lineStart()
            let path = try key()
            skipSpaces()
            guard current == UInt8(ascii: "=") else { throw fail("expected '=' after a key") }
            index += 1
            skipSpaces()
            let full = currentTable + inlinePath + path
            if !inline { strings = [] }
            let outer = inlinePath
            let stringsBefore = strings.count
            inlinePath += path
            try value()
            inlinePath = outer
            var record = KeyPath(path: full, line: keyLine, table: currentTable)
            record.strings = Array(strings[stringsBefore...])
            if !inline {
                guard !definedKeys.contains(full) else {
                    throw fail("key \(full.joined(separator: ".")) is defined twice")
                }
                definedKeys.insert(full)
                try endOfLine()
                record.lines = lineBegin..<(current == 0x0A ? index + 1 : index)
            }
            keyPaths.append(record)
        }

        mutating func key() throws(Malformed) -> [String] {
            var parts: [String] = []
            while true {
                skipSpaces()
                guard let byte = current else { throw fail("expected a key") }
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    parts.append(try string(multiline: false))
                } else {
                    let start = index
                    while let next = current, isBareKeyByte(next) { index += 1 }
                    guard index > start else { throw fail("invalid key") }
                    parts.append(String(decoding: bytes[start..<index], as: UTF8.self))
                }
                skipSpaces()
                guard current == UInt8(ascii: ".") else { return parts }
                index += 1
            }
        }

        func isBareKeyByte(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "_"), UInt8(ascii: "-"):
                return true
            default:
                return false
            }
        }

        mutating func value() throws(Malformed) {
            guard let byte = current else { throw fail("expected a value") }
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                let raw = try string(multiline: true)
                strings.append(byte == UInt8(ascii: "'") ? raw : Self.unescaped(raw))
            case UInt8(ascii: "["):
                index += 1
                while true {
                    try skipArrayTrivia()
                    if current == UInt8(ascii: "]") { break }
                    try value()
                    try skipArrayTrivia()
                    if current == UInt8(ascii: ",") {
                        index += 1
                        continue
                    }
                    guard current == UInt8(ascii: "]") else { throw fail("expected ',' or ']' in an array") }
                    break
                }
                index += 1
            case UInt8(ascii: "{"):
                index += 1
                skipSpaces()
                var keys: Set<[String]> = []
                if current == UInt8(ascii: "}") {
                    index += 1
                    return
                }
                while true {
                    skipSpaces()
                    let save = index
                    let path = try key()
                    guard keys.insert(path).inserted else {
                        throw fail("inline table key \(path.joined(separator: ".")) is repeated")
                    }
                    index = save
                    try keyValue(inline: true)
                    skipSpaces()
                    if current == UInt8(ascii: ",") {
                        index += 1
                        continue
                    }
                    guard current == UInt8(ascii: "}") else { throw fail("expected ',' or '}' in an inline table") }
                    index += 1
                    return
                }
            default:
                let start = index
                while let next = current,
                    !(next == 0x20 || next == 0x09 || next == 0x0A || next == 0x0D || next == UInt8(ascii: ",")
                        || next == UInt8(ascii: "]") || next == UInt8(ascii: "}") || next == UInt8(ascii: "#"))
                {
                    index += 1
                }
                // A date-time may have one space between date and time.
                if index - start == 10, current == 0x20, index + 1 < bytes.count,
                    (0x30...0x39).contains(bytes[index + 1])
                {
                    index += 1
                    while let next = current,
                        !(next == 0x20 || next == 0x0A || next == 0x0D || next == UInt8(ascii: ",")
                            || next == UInt8(ascii: "]") || next == UInt8(ascii: "}") || next == UInt8(ascii: "#"))
                    {
                        index += 1
                    }
                }
                let token = String(decoding: bytes[start..<index], as: UTF8.self)
                guard isScalarToken(token) else { throw fail("invalid value '\(token.prefix(40))'") }
            }
        }

        mutating func skipArrayTrivia() throws(Malformed) {
            while let byte = current {
                switch byte {
                case 0x20, 0x09, 0x0D: index += 1
                case 0x0A:
                    index += 1
                    line += 1
                case UInt8(ascii: "#"): skipComment()
                default: return
                }
            }
            throw fail("unterminated array")
        }

        /// Reads a string; multi-line forms only where values may be multi-line.
        mutating func string(multiline allowed: Bool) throws(Malformed) -> String {
            guard let quote = current else { throw fail("expected a string") }
            let isTriple = index + 2 < bytes.count && bytes[index + 1] == quote && bytes[index + 2] == quote
            if isTriple {
                guard allowed else { throw fail("a multi-line string cannot be a key") }
                index += 3
                let start = index
                while index + 2 < bytes.count,
                    !(bytes[index] == quote && bytes[index + 1] == quote && bytes[index + 2] == quote)
                {
                    if bytes[index] == 0x0A { line += 1 }
                    if quote == UInt8(ascii: "\""), bytes[index] == UInt8(ascii: "\\") { index += 1 }
                    index += 1
                }
                guard index + 2 < bytes.count else { throw fail("unterminated multi-line string") }
                let text = String(decoding: bytes[start..<index], as: UTF8.self)
                index += 3
                // Up to two more quotes may close the string (`""""` ends with a quote inside).
                while current == quote, index - start < bytes.count { index += 1 }
                return text
            }
            index += 1
            let start = index
            while let byte = current, byte != quote {
                if byte == 0x0A { throw fail("unterminated string") }
                if quote == UInt8(ascii: "\""), byte == UInt8(ascii: "\\") {
                    guard index + 1 < bytes.count, "btnfr\"\\uU".utf8.contains(bytes[index + 1]) else {
                        throw fail("invalid escape")
                    }
                    index += 1
                }
                index += 1
            }
            guard current == quote else { throw fail("unterminated string") }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            index += 1
            return text
        }

        /// A basic string's text with its escapes applied (the ones this editor writes and
        /// the common others; anything else is kept as written).
        static func unescaped(_ raw: String) -> String {
            var output = ""
            var iterator = raw.unicodeScalars.makeIterator()
            while let scalar = iterator.next() {
                guard scalar == "\\", let next = iterator.next() else {
                    output.unicodeScalars.append(scalar)
                    continue
                }
                switch next {
                case "n": output += "\n"
                case "t": output += "\t"
                case "r": output += "\r"
                case "\"": output += "\""
                case "\\": output += "\\"
                default: output += "\\" + String(next)
                }
            }
            return output
        }

        func isScalarToken(_ token: String) -> Bool {
            if ["true", "false", "inf", "+inf", "-inf", "nan", "+nan", "-nan"].contains(token) { return true }
            let characters = Array(token)
            guard let first = characters.first else { return false }
            let digitsAndMarks = "0123456789_+-.eExXoObBabcdefABCDEF:TZtz "
            guard first.isNumber || first == "+" || first == "-", token.allSatisfy({ digitsAndMarks.contains($0) })
            else { return false }
            // Date-time forms.
            if token.contains(":") || (token.count >= 10 && token.dropFirst(4).first == "-") { return true }
            let cleaned = token.replacingOccurrences(of: "_", with: "")
            if cleaned.hasPrefix("0x") || cleaned.hasPrefix("0o") || cleaned.hasPrefix("0b") {
                return cleaned.count > 2
            }
            return Double(cleaned) != nil
        }
    }
}
