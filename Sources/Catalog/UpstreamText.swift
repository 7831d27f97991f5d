/// Text a provider wrote (an error message, a code, a `Location`), made safe to put
/// inside the server's own sentences.
///
/// Whoever answers in a provider's place can write anything, including a newline followed
/// by "SYSTEM NOTICE: …". Escaped, such text stays on the line where the server put it,
/// after the server's label, so it can never start a line that reads as the server's.
public enum UpstreamText {
    /// The most characters of provider text kept; a longer text ends with "…".
    public static let maximumLength = 500

    /// The text with control, format and separator characters escaped (`\n`, `\t`,
    /// `\u{202E}`) and backslashes doubled, cut to `maximumLength` characters.
    public static func escaped(_ text: String) -> String {
        var result = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == maximumLength {
                result += "…"
                break
            }
            count += 1
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\\": result += "\\\\"
            default:
                if needsEscape(scalar) {
                    result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    /// The text escaped and in double quotes, with its own quotes escaped: `"say \"hi\""`.
    public static func quoted(_ text: String) -> String {
        "\"" + escaped(text).replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// Control characters, line and paragraph separators, and format characters (the
    /// bidirectional overrides that reorder what a reader sees).
    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned, .privateUse:
            return true
        default:
            return false
        }
    }
}
