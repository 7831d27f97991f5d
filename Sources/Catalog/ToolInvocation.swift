import Wire

/// One call in progress, as a row's own flow sees it: the row, validated arguments,
/// progress and logging, the time budget, and a way to send the row's request.
///
/// The pipeline makes it; a flow (CreatiVault's task polling) only reads it and calls
/// `fetch`, so a flow never sees the upstream client, the ledgers or the cache.
public struct ToolInvocation: Sendable {
    /// Sends the row's request with these argument overrides before this deadline and
    /// reads the provider's envelope.
    public typealias Fetch =
        @Sendable ([String: JSONValue], ContinuousClock.Instant) async throws(UpstreamError) -> UpstreamPayload

    /// The row.
    public let tool: ToolDefinition
    /// The provider's display name, for messages.
    public let providerName: String
    /// The validated arguments.
    public let arguments: [String: JSONValue]
    /// Progress and logging for this call.
    public let context: CallContext
    /// The time source for polling and deadlines.
    public let clock: any ServerClock
    /// When the call's time budget runs out.
    public let deadline: ContinuousClock.Instant
    /// The budget in seconds, for messages.
    public let budgetSeconds: Int
    private let send: Fetch

    /// Creates an invocation.
    public init(
        tool: ToolDefinition,
        providerName: String,
        arguments: [String: JSONValue],
        context: CallContext,
        clock: any ServerClock,
        deadline: ContinuousClock.Instant,
        budgetSeconds: Int,
        fetch: @escaping Fetch
    ) {
        self.tool = tool
        self.providerName = providerName
        self.arguments = arguments
        self.context = context
        self.clock = clock
        self.deadline = deadline
        self.budgetSeconds = budgetSeconds
        self.send = fetch
    }

    /// Sends the row's request (with `overrides` merged into the arguments) and reads the
    /// provider's envelope; `deadline` may shorten the call's own.
    public func fetch(
        overriding overrides: [String: JSONValue] = [:],
        deadline fetchDeadline: ContinuousClock.Instant? = nil
    ) async throws(UpstreamError) -> UpstreamPayload {
        try await send(overrides, min(deadline, fetchDeadline ?? deadline))
    }

    /// A copy whose time budget ends at `deadline` (a polling tool waits longer than one request).
    public func withDeadline(_ deadline: ContinuousClock.Instant) -> ToolInvocation {
        ToolInvocation(
            tool: tool,
            providerName: providerName,
            arguments: arguments,
            context: context,
            clock: clock,
            deadline: deadline,
            budgetSeconds: budgetSeconds,
            fetch: send
        )
    }
}
