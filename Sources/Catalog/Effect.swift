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

    /// Whether the call leaves the provider's data as it was (it may still be billed).
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

    /// The MCP behaviour hints of a tool with this effect and price.
    ///
    /// Spending the user's balance is a side effect: clients approve read-only tools without
    /// asking, so a tool that can be billed, or that creates paid work, is neither read-only
    /// nor idempotent (calling it again charges again). Nothing deletes or overwrites, so
    /// nothing is destructive.
    public func hints(price: Price) -> Hints {
        let canSpend = price.isPaid || !isReadOnly
        return Hints(
            readOnly: !canSpend,
            destructive: false,
            idempotent: !canSpend,
            openWorld: self != .local
        )
    }

    /// The four MCP `ToolAnnotations` hints.
    public struct Hints: Sendable, Equatable {
        /// `readOnlyHint`: no side effect at all, the user's money included.
        public let readOnly: Bool
        /// `destructiveHint`: may delete or overwrite.
        public let destructive: Bool
        /// `idempotentHint`: a repeated call has no further effect.
        public let idempotent: Bool
        /// `openWorldHint`: reaches outside this process.
        public let openWorld: Bool
    }
}
