import Catalog
import Spend

/// Holds the call's worst case in both ledgers before anything is sent, and settles what
/// it cost (or gives the hold back) when the answer comes.
///
/// Left out of the pipeline in sandbox mode, where nothing is sent or charged.
struct SpendGateStage: CallStage {
    let spend: SpendGuard

    func handle(_ call: PendingCall, next: NextStage) async -> CallOutcome {
        let cost = call.cost
        let admission: SpendGuard.Admission
        switch spend.admit(cost, tool: call.tool, provider: call.providerID) {
        case .success(let admitted): admission = admitted
        case .failure(.refused(let refusal)):
            return .failed(.refused(refusal, provider: call.providerName, cost: cost), charge: nil)
        case .failure(.ledgerUnavailable(let error)):
            return .failed(.ledgerUnavailable(error), charge: nil)
        }
        switch await next(call) {
        case .data(var payload, _, _):
            payload = Downloads.save(payload)
            let charge = cost.charge(for: payload, provider: call.providerName)
            let settlement = cost.settlement(
                of: charge,
                provider: call.providerID,
                tool: call.tool.name,
                failed: false,
                balance: payload.billing.balance
            )
            // Flushed before the result is written: a crash after this loses nothing.
            if let error = spend.settle(admission, settlement) {
                payload.notes.append(
                    "This call's cost could not be written to the spend ledger at \(error.path) (\(error.reason)); "
                        + "its hold still counts at the worst case."
                )
            }
            return .data(payload, charge: charge, cost: cost)
        case .failed(let failure, _):
            return .failed(failure, charge: settleFailure(failure, call: call, admission: admission))
        case .quoted(let quote):
            spend.release(admission)
            return .quoted(quote)
        }
    }

    /// Settles a failed call.
    ///
    /// A failure the provider may still have billed (a 502, a reset after sending, a
    /// timeout) counts at the worst case: the limits must hold even then. One that never
    /// reached the provider gives its hold back.
    private func settleFailure(_ failure: ToolFailure, call: PendingCall, admission: SpendGuard.Admission) -> Charge {
        let cost = call.cost
        var charge = Charge.nothing(cost.currency, "nothing charged: the call failed")
        if case .upstream(let error) = failure, error.possibleCharge != nil {
            charge = Charge(
                cost: cost.worstCase,
                basis: "the provider may have charged for this failed call; counted at the worst case "
                    + "(`social-data-mcp usage` lists it; check the provider's balance)"
            )
        }
        guard failure.reachedProvider else {
            spend.release(admission)
            return charge
        }
        let settlement = cost.settlement(
            of: charge,
            provider: call.providerID,
            tool: call.tool.name,
            failed: true,
            balance: nil
        )
        spend.settle(admission, settlement)
        return charge
    }
}
