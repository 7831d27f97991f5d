/// The one rule for a team member's name, shared by the member store (what `member add`
/// accepts) and the spend ledger (what a line may carry as its member).
///
/// 1 to 64 ASCII letters, digits, `.`, `_`, `-` and `@`, starting with a letter or digit: a
/// name never needs escaping in JSON, CSV or a shell, never breaks a ledger line and reads
/// back unchanged.
public enum MemberName {
    /// Whether `name` follows the rule.
    public static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= 64, isAlphanumeric(first) else { return false }
        return bytes.allSatisfy {
            isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
                || $0 == UInt8(ascii: "@")
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
