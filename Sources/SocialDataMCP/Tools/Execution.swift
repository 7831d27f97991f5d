/// How a row is carried out.
public enum Execution: Sendable {
    /// One upstream request for the route (almost every tool).
    case request
    /// A flow of its own that uses `ToolInvocation.fetch` (task polling).
    case custom(@Sendable (ToolInvocation) async throws(UpstreamError) -> UpstreamPayload)
    /// Local work with no upstream request (the usage report).
    case local(@Sendable (ToolInvocation) -> UpstreamPayload)
}

/// Extra reading of a response: sentences for the text block, members for
/// `structuredContent` and content blocks (images, links).
public struct Presentation: Sendable {
    /// Sentences, one per line.
    public var lines: [String]
    /// Extra `structuredContent` members (`summary`, `reading`).
    public var structured: [String: JSONValue]
    /// Extra content blocks.
    public var content: [JSONValue]
    /// A replacement for `data` in the text and `structuredContent` (a base64 image is
    /// sent as an image block, not as a megabyte of text).
    public var data: JSONValue?

    /// Creates a presentation.
    public init(
        lines: [String] = [],
        structured: [String: JSONValue] = [:],
        content: [JSONValue] = [],
        data: JSONValue? = nil
    ) {
        self.lines = lines
        self.structured = structured
        self.content = content
        self.data = data
    }
}

/// Reads a successful response's data (with the call's arguments) into a presentation.
public typealias Presenter = @Sendable (_ data: JSONValue, _ arguments: [String: JSONValue]) -> Presentation

/// One call in progress: the row, its provider, validated arguments and what it may use.
public struct ToolInvocation: Sendable {
    /// The row.
    public let tool: ToolDefinition
    /// Its provider.
    public let provider: Provider
    /// The validated arguments.
    public let arguments: [String: JSONValue]
    /// Shared services.
    public let services: ToolServices
    /// Progress and logging for this call.
    public let context: CallContext
    /// When the call's time budget runs out.
    public let deadline: ContinuousClock.Instant
    /// The budget in seconds, for messages.
    public let budgetSeconds: Int

    /// Sends the row's request (with `overrides` merged into the arguments) and reads the
    /// provider's envelope.
    public func fetch(
        overriding overrides: [String: JSONValue] = [:],
        deadline fetchDeadline: ContinuousClock.Instant? = nil
    ) async throws(UpstreamError) -> UpstreamPayload {
        let (response, attempts) = try await send(overriding: overrides, deadline: fetchDeadline)
        do {
            return try provider.decode(response, provider)
        } catch {
            var error = error
            error.attempts = attempts
            if retryRule.mayHaveCharged(status: response.status) {
                error.possibleCharge = UpstreamError.PossibleCharge(retryRule)
            }
            throw error
        }
    }

    /// Sends the row's request and returns the final HTTP response, retries included.
    public func send(
        overriding overrides: [String: JSONValue] = [:],
        deadline fetchDeadline: ContinuousClock.Instant? = nil
    ) async throws(UpstreamError) -> (response: HTTPResponse, attempts: Int) {
        let arguments = self.arguments.merging(overrides) { _, new in new }
        guard let endpoint = tool.route.endpoint(for: arguments) else {
            throw UpstreamError(.rejected, provider: provider.name, advice: "No upstream route for these arguments.")
        }
        let request = try RequestBuilder.build(
            endpoint,
            tool: tool,
            provider: provider,
            arguments: arguments,
            environment: services.configuration.environment
        )
        return try await services.client.send(
            request,
            provider: provider,
            rule: retryRule,
            deadline: min(deadline, fetchDeadline ?? deadline),
            budgetSeconds: budgetSeconds,
            log: context.log
        )
    }

    /// Which failures may be sent again, from the row's effect and price.
    public var retryRule: RetryRule { RetryRule(effect: tool.effect, price: tool.price) }

    /// A copy whose time budget ends at `deadline` (a polling tool waits longer than one request).
    public func withDeadline(_ deadline: ContinuousClock.Instant) -> ToolInvocation {
        ToolInvocation(
            tool: tool,
            provider: provider,
            arguments: arguments,
            services: services,
            context: context,
            deadline: deadline,
            budgetSeconds: budgetSeconds
        )
    }
}
