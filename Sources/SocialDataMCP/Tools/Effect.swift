/// What calling a tool does to the world, which decides its MCP annotations, whether it
/// may be retried or cached, and whether `SOCIAL_DATA_MCP_READ_ONLY=1` hides it.
public enum Effect: Sendable, Equatable {
    /// Reads data: may be answered from cache, and retried as `RetryRule` allows.
    case read
    /// Creates paid work upstream (an image, a collection task): never retried once the
    /// request may have reached the provider, never cached, hidden in read-only mode.
    case createsPaidWork
    /// Any route of the provider's choosing: treated like `createsPaidWork` because its
    /// effect is not known here.
    case passthrough
    /// Works on this process's own state (the usage report).
    case local

    /// The MCP `readOnlyHint`.
    public var isReadOnly: Bool {
        switch self {
        case .read, .local: return true
        case .createsPaidWork, .passthrough: return false
        }
    }

    /// Whether identical calls may be answered from the cache.
    public var isCacheable: Bool {
        if case .read = self { return true }
        return false
    }
}
