import Catalog
import Spend

/// Sandbox mode's stand-in for the spend gate: the answer is the provider's documented
/// example, labelled as such in both result forms and counted in this process's usage
/// report, settled nowhere (nothing was sent, so nothing can have been charged).
struct SandboxStage: CallStage {
    let spend: SpendGuard

    func handle(_ call: PendingCall, next: @escaping NextStage) async -> CallOutcome {
        let outcome = await next(call)
        guard case .data(var payload, _, let cost) = outcome else { return outcome }
        Sandbox.label(&payload, tool: call.tool, toolset: call.entry.toolset, arguments: call.arguments)
        var charge = Charge.nothing(cost.currency, "sandbox: sample data, nothing charged")
        charge.items = cost.itemCount(in: payload.data) ?? 0
        spend.record(
            cost.settlement(of: charge, provider: call.providerID, tool: call.tool.name, failed: false, balance: nil)
        )
        return .data(payload, charge: charge, cost: cost)
    }
}
