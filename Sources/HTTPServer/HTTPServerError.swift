/// Why the server could not start.
public enum HTTPServerError: Error, Equatable, CustomStringConvertible {
    /// The host or port is not one the server can bind (not a literal address, port out of range).
    case invalidAddress(String)
    /// A socket call failed: which one, and errno's text.
    case socket(String)

    /// A sentence for the operator.
    public var description: String {
        switch self {
        case .invalidAddress(let detail): "invalid listen address: \(detail)"
        case .socket(let detail): "cannot listen: \(detail)"
        }
    }
}
