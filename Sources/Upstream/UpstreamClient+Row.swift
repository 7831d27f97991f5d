import Catalog
import Wire

extension UpstreamClient {
    /// Sends a row's request for these arguments and reads the provider's envelope.
    ///
    /// The one way a tool and the DataNexus price list reach a provider. `gate`, for paid
    /// calls, records when the request leaves, so a cancellation after that cannot forget it.
    public func fetch(
        tool: ToolDefinition,
        provider: Provider,
        arguments: [String: JSONValue],
        environment: Environment,
        rule: RetryRule,
        deadline: ContinuousClock.Instant,
        budgetSeconds: Int,
        log: CallLog,
        gate: SendGate? = nil
    ) async throws(UpstreamError) -> UpstreamPayload {
        guard let endpoint = tool.route.endpoint(for: arguments) else {
            throw UpstreamError(.rejected, provider: provider.name, advice: "No upstream route for these arguments.")
        }
        let request = try RequestBuilder.build(
            endpoint,
            tool: tool,
            provider: provider,
            arguments: arguments,
            environment: environment
        )
        let (response, attempts) = try await send(
            request,
            provider: provider,
            rule: rule,
            deadline: deadline,
            budgetSeconds: budgetSeconds,
            log: log,
            gate: gate
        )
        do {
            return try provider.decode(response, provider)
        } catch {
            var error = error
            error.attempts = attempts
            if rule.mayHaveCharged(status: response.status) {
                error.possibleCharge = UpstreamError.PossibleCharge(rule)
            }
            throw error
        }
    }
}
