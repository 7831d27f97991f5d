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
            return Self.appending(block, to: text)
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

    /// The text with the table `[container.name]` holding exactly `values` (in that order,
    /// each a string), its old table and subtables gone; `nil` when nothing changes.
    ///
    /// For an entry whose keys all belong to the server (a remote server's `url` and
    /// `bearer_token_env_var`), where nothing of the old one is worth keeping.
    public func replace(
        named name: String,
        under container: String,
        with values: [(key: String, value: String)],
        in text: String
    ) throws(Malformed) -> String? {
        let cleared = try remove(named: name, under: container, in: text) ?? text
        let lines = ["[\(container).\(name)]"] + values.map { "\(bareOrQuotedKey($0.key)) = \(quoted($0.value))" }
        let updated = Self.appending(lines.joined(separator: "\n") + "\n", to: cleared)
        return updated == text ? nil : updated
    }

    /// `block` after `text`, a blank line between them.
    private static func appending(_ block: String, to text: String) -> String {
        var prefix = text
        if !prefix.isEmpty, !prefix.hasSuffix("\n") { prefix += "\n" }
        if !prefix.isEmpty { prefix += "\n" }
        return prefix + block
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
}

extension String {
    fileprivate func trimmingTrailingWhitespace() -> String {
        var text = self
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
