/// How a client's config refers to an environment variable it expands when it starts the
/// server, so that the value itself is never written into the file.
public enum ReferenceSyntax: Sendable, Equatable {
    /// `${VAR}` (Claude Code).
    case braced
    /// `${env:VAR}` (Cursor, VS Code, Windsurf).
    case envPrefixed
    /// `$VAR` (Gemini CLI, which also reads `${VAR}`).
    case dollar
    /// The name listed in `env_vars`, which Codex fills from its own environment.
    case forwarded
    /// The client expands nothing: only values can be written (Claude Desktop, Trae).
    case none

    /// Whether the client expands references at all.
    public var expands: Bool { self != .none }

    /// The reference to `variable` as written in the file, or as the user is told about it.
    public func form(_ variable: String) -> String {
        switch self {
        case .braced: return "${\(variable)}"
        case .envPrefixed: return "${env:\(variable)}"
        case .dollar: return "$\(variable)"
        case .forwarded: return "env_vars = [\"\(variable)\"]"
        case .none: return "(none: this client does not expand variables)"
        }
    }

    /// The variable a written value refers to, or `nil` when the value is a value.
    ///
    /// Every spelling a client may meet is read (`${VAR}`, `${env:VAR}`, `$VAR`), whoever
    /// wrote it, since a user may have edited the entry by hand.
    public static func referencedVariable(in value: String) -> String? {
        var name = Substring(value)
        if name.hasPrefix("${"), name.hasSuffix("}") {
            name = name.dropFirst(2).dropLast()
            if name.hasPrefix("env:") { name = name.dropFirst(4) }
        } else if name.hasPrefix("$") {
            name = name.dropFirst()
        } else {
            return nil
        }
        return isVariableName(name) ? String(name) : nil
    }

    /// Whether `name` is an environment variable's name: ASCII letters, digits and `_`,
    /// not starting with a digit.
    public static func isVariableName(_ name: some StringProtocol) -> Bool {
        !name.isEmpty && name.first?.isNumber == false
            && name.unicodeScalars.allSatisfy {
                $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0))
            }
    }
}
