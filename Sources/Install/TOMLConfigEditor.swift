import Foundation

/// Puts one `[mcp_servers.NAME]` table into a Codex `config.toml` by editing its text.
///
/// The file is checked against TOML's grammar first (a malformed file is reported and
/// left alone); then only the server's own table, with its subtables, is replaced or
/// appended, so comments and everything else stay as they were.
public struct TOMLConfigEditor {
    /// Why an existing file is left alone.
    public struct Malformed: Error, Sendable, Equatable {
        /// What is wrong, with the line.
        public let reason: String
    }

    /// Creates an editor.
    public init() {}

    /// The text with the table `[container.name]` holding `command`, `args`, `env` and
    /// `env_vars`; `nil` when it already does.
    ///
    /// Only those keys are the server's: any other key in the table (`tool_timeout_sec`,
    /// `startup_timeout_sec`, `enabled`, …) and its subtables (`tools.…`) stay as they were.
    /// `env` keeps variables set before and not given now; `forwarded` names go to
    /// `env_vars`, which Codex fills from its own environment, so no value is written.
    public func upsert(
        command: String,
        arguments: [String],
        environment: [String: String],
        forwarded: [String] = [],
        named name: String,
        under container: String,
        in text: String
    ) throws(Malformed) -> String? {
        let bytes = Array(text.utf8)
        let ours = [container, name]
        let scanner = try scan(bytes, ours: ours)
        guard let start = scanner.headers.firstIndex(where: { $0.path == ours }) else {
            let block = ownedLines(
                command: command,
                arguments: arguments,
                environment: environment,
                forwarded: forwarded,
                header: "[\(container).\(name)]"
            )
            var prefix = text
            if !prefix.isEmpty, !prefix.hasSuffix("\n") { prefix += "\n" }
            if !prefix.isEmpty { prefix += "\n" }
            return prefix + block
        }
        let begin = scanner.headers[start].offset
        let end = scanner.headers[(start + 1)...].first { !$0.path.starts(with: ours) }?.offset ?? bytes.count
        let headerEnd = (bytes[begin...].firstIndex(of: 0x0A) ?? bytes.count - 1) + 1
        let owned = ["command", "args", "env", "env_vars"]
        var environment = environment
        var forwardedNames: [String] = []
        var removed: [Range<Int>] = []
        for key in scanner.keyPaths where key.path.starts(with: ours) && key.path.count > ours.count {
            let field = key.path[ours.count]
            guard owned.contains(field) else { continue }
            if field == "env", key.path.count == ours.count + 2, key.strings.count == 1,
                environment[key.path[ours.count + 1]] == nil, !forwarded.contains(key.path[ours.count + 1])
            {
                environment[key.path[ours.count + 1]] = key.strings[0]
            }
            if field == "env_vars", key.path.count == ours.count + 1 { forwardedNames = key.strings }
            if let lines = key.lines { removed.append(lines) }
        }
        forwardedNames = (forwardedNames + forwarded).reduce(into: []) { names, variable in
            if !names.contains(variable), environment[variable] == nil { names.append(variable) }
        }
        // An `[…env]` subtable is folded into the inline `env` written below.
        if let envTable = scanner.headers.firstIndex(where: { $0.path == ours + ["env"] }) {
            let tableEnd = scanner.headers[(envTable + 1)...].first?.offset ?? bytes.count
            removed.append(scanner.headers[envTable].offset..<tableEnd)
        }
        var kept: [UInt8] = []
        var position = headerEnd
        for range in removed.sorted(by: { $0.lowerBound < $1.lowerBound }) where range.lowerBound >= position {
            kept += bytes[position..<range.lowerBound]
            position = range.upperBound
        }
        kept += bytes[position..<end]
        let block = ownedLines(
            command: command,
            arguments: arguments,
            environment: environment,
            forwarded: forwardedNames,
            header: String(decoding: bytes[begin..<headerEnd], as: UTF8.self).trimmingTrailingWhitespace()
        )
        var section = block + String(decoding: kept, as: UTF8.self)
        if end < bytes.count, !section.hasSuffix("\n\n") { section = section.trimmingTrailingWhitespace() + "\n\n" }
        let updated =
            String(decoding: bytes[..<begin], as: UTF8.self) + section + String(decoding: bytes[end...], as: UTF8.self)
        return updated == text ? nil : updated
    }

    /// The text without the table `[container.name]` and its subtables, or `nil` without one.
    ///
    /// The blank line an install put before it at the end of the file goes too.
    public func remove(named name: String, under container: String, in text: String) throws(Malformed) -> String? {
        let bytes = Array(text.utf8)
        let ours = [container, name]
        let scanner = try scan(bytes, ours: ours)
        guard let start = scanner.headers.firstIndex(where: { $0.path == ours }) else { return nil }
        var begin = scanner.headers[start].offset
        let end = scanner.headers[(start + 1)...].first { !$0.path.starts(with: ours) }?.offset ?? bytes.count
        if end == bytes.count, begin >= 2, bytes[begin - 1] == 0x0A, bytes[begin - 2] == 0x0A { begin -= 1 }
        return String(decoding: bytes[..<begin] + bytes[end...], as: UTF8.self)
    }

    /// Checks the grammar, and that the server's table is written in the one form edited here.
    private func scan(_ bytes: [UInt8], ours: [String]) throws(Malformed) -> Scanner {
        var scanner = Scanner(bytes: bytes)
        try scanner.document()
        let strayKey = scanner.keyPaths.first { $0.path.starts(with: ours) && !$0.table.starts(with: ours) }?.line
        let orphanSubtable =
            scanner.headers.contains { $0.path != ours && $0.path.starts(with: ours) }
            && !scanner.headers.contains { $0.path == ours }
        if let stray = strayKey ?? (orphanSubtable ? 0 : nil) {
            throw Malformed(
                reason:
                    "\(stray > 0 ? "line \(stray)" : "a subtable") defines \(ours.joined(separator: ".")) in a form this installer does not edit; "
                    + "change it by hand or remove it and run again"
            )
        }
        return scanner
    }

    /// The header and the server's own keys, one per line.
    private func ownedLines(
        command: String,
        arguments: [String],
        environment: [String: String],
        forwarded: [String],
        header: String
    ) -> String {
        var lines = [
            header, "command = \(quoted(command))", "args = [\(arguments.map(quoted).joined(separator: ", "))]",
        ]
        if !environment.isEmpty {
            let pairs = environment.keys.sorted().map { "\(bareOrQuotedKey($0)) = \(quoted(environment[$0] ?? ""))" }
            lines.append("env = { \(pairs.joined(separator: ", ")) }")
        }
        if !forwarded.isEmpty { lines.append("env_vars = [\(forwarded.map(quoted).joined(separator: ", "))]") }
        return lines.joined(separator: "\n") + "\n"
    }

    private func quoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\t": output += "\\t"
            case "\r": output += "\\r"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                output += String(format: "\\u%04X", scalar.value)
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }

    private func bareOrQuotedKey(_ key: String) -> String {
        let isBare =
            !key.isEmpty
            && key.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-")
            }
        return isBare ? key : quoted(key)
    }

    // MARK: A TOML 1.0 grammar check that remembers where tables and keys are

    struct Header {
        let path: [String]
        let offset: Int
    }

    struct KeyPath {
        let path: [String]
        let line: Int
        /// The table the key was written under.
        let table: [String]
        /// The string literals in its value, unescaped (one for a string, each for an array).
        var strings: [String] = []
        /// The bytes of its whole line (through the newline), for a key on a line of its
        /// own; `nil` inside an inline table.
        var lines: Range<Int>?
    }

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

extension String {
    fileprivate func trimmingTrailingWhitespace() -> String {
        var text = self
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
