/// Why a member operation failed; every case is a sentence for the operator, never a token.
public enum MemberStoreError: Error, Equatable, CustomStringConvertible {
    /// The name has characters outside letters, digits, `.`, `_`, `-`, `@`, or is empty or over 64.
    case invalidName(String)
    /// A member with this name exists.
    case duplicate(String)
    /// No member has this name.
    case notFound(String)
    /// A limit is negative or not a number.
    case invalidLimit(String)
    /// `members.json` could not be read or written.
    case io(String)
    /// `members.json` is not what the store writes.
    case corrupt(String)

    /// A sentence for the operator.
    public var description: String {
        switch self {
        case .invalidName(let name):
            "invalid member name \"\(name)\": use 1–64 letters, digits, '.', '_', '-' or '@', starting with a letter or digit"
        case .duplicate(let name): "member \"\(name)\" already exists (use `member rotate` for a new token)"
        case .notFound(let name): "no member named \"\(name)\""
        case .invalidLimit(let detail): "invalid limit: \(detail)"
        case .io(let detail): "members file: \(detail)"
        case .corrupt(let detail): "members file is damaged: \(detail)"
        }
    }
}
