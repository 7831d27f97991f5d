import Catalog
import Spend
import Upstream
import Wire

/// The end of the pipeline: builds the row's request, sends it through the upstream
/// client (pacing, retries, time budget) and reads the provider's envelope, or runs the
/// row's own flow (task polling), which sends through the same `fetch`.
struct SendStage: CallStage {
    let client: UpstreamClient
    let environment: Environment
    let clock: any ServerClock
    /// `SOCIAL_DATA_MCP_TIMEOUT`, when set.
    let timeout: Duration?

    func handle(_ call: PendingCall, next: @escaping NextStage) async -> CallOutcome {
        guard let provider = call.provider else {
            let error = UpstreamError(.rejected, provider: call.providerName, advice: "This tool has no provider.")
            return .failed(.upstream(error), charge: nil)
        }
        let invocation = makeInvocation(call, provider: provider)
        do {
            let payload: UpstreamPayload
            switch call.tool.execution {
            case .custom(let flow): payload = try await flow(invocation)
            case .request, .local: payload = try await invocation.fetch()
            }
            return .data(payload, charge: nil, cost: call.cost)
        } catch {
            call.context.log(.warning, "\(call.tool.name) failed: \(error.kindDescription)")
            return .failed(.upstream(error), charge: nil)
        }
    }

    private func makeInvocation(_ call: PendingCall, provider: Provider) -> ToolInvocation {
        let budget =
            timeout.map { Int($0.components.seconds) } ?? call.tool.timeoutSeconds ?? provider.defaultTimeoutSeconds
        let tool = call.tool
        let arguments = call.arguments
        let rule = RetryRule(effect: tool.effect, price: tool.price)
        let client = self.client
        let environment = self.environment
        let log = call.context.log
        let gate = call.sendGate
        return ToolInvocation(
            tool: tool,
            providerName: provider.name,
            arguments: arguments,
            context: call.context,
            clock: clock,
            deadline: clock.now + .seconds(budget),
            budgetSeconds: budget
        ) { overrides, deadline throws(UpstreamError) in
            try await client.fetch(
                tool: tool,
                provider: provider,
                arguments: arguments.merging(overrides) { _, new in new },
                environment: environment,
                rule: rule,
                deadline: deadline,
                budgetSeconds: budget,
                log: log,
                gate: gate
            )
        }
    }
}
