import Catalog
import Spend
import Upstream
import Wire

/// Holds the call's worst case in both ledgers before anything is sent, and settles what
/// it cost (or gives the hold back) when the answer comes.
///
/// A paid request that may have reached the provider is never forgotten: the call runs
/// in a task of its own that a client's cancellation cannot tear down once the request
/// has left. A cancellation before that stops the call and gives the hold back; after it,
/// the request finishes, its cost is settled and its data is saved as a result resource,
/// so the money buys something. Left out of the pipeline in sandbox mode, where nothing is
/// sent or charged.
struct SpendGateStage: CallStage {
    let spend: SpendGuard
    let savedResults: SavedResults
    let downloads: Downloads

    func handle(_ call: PendingCall, next: @escaping NextStage) async -> CallOutcome {
        let cost = call.cost
        let admission: SpendGuard.Admission
        switch await spend.admit(cost, tool: call.tool, provider: call.providerID) {
        case .success(let admitted): admission = admitted
        case .failure(.refused(let refusal)):
            return .failed(.refused(refusal, provider: call.providerName, cost: cost), charge: nil)
        case .failure(.ledgerUnavailable(let error)):
            return .failed(.ledgerUnavailable(error), charge: nil)
        }
        // Between the approval and this hold another process may have recorded a larger
        // charge for the tool, raising its reserve: more than was approved is not spent.
        if let approved = call.approved, let held = spend.exceedingApproval(admission, approved: approved.worstCase) {
            spend.release(admission)
            let request = ApprovalRequest(
                step: .notApproved,
                tool: call.tool.name,
                worstCase: held,
                threshold: approved.threshold,
                reason: "the worst case rose to \(held.formatted) after \(approved.worstCase.formatted) was approved; "
                    + "the user must approve the new price"
            )
            return .failed(.needsApproval(request), charge: nil)
        }
        let (outcome, gate) = await send(call, admission: admission, next: next)
        let wasCancelled = Task.isCancelled
        switch outcome {
        case .data(var payload, _, _):
            payload = downloads.save(payload)
            var charge = cost.charge(for: payload, provider: call.providerName)
            let settlement = cost.settlement(
                of: charge,
                provider: call.providerID,
                tool: call.tool.name,
                failed: false,
                balance: payload.billing.balance
            )
            // Written before the result is: a crash after this loses nothing.
            let (recorded, notes, failure) = spend.settle(admission, settlement)
            // What the ledger recorded is what the result states (an absurd charge is counted at its reserve).
            if recorded.cost != settlement.cost {
                charge.cost = recorded.cost
                charge.basis = "this call's worst case: the charge the provider reported was out of range"
            }
            payload.notes += notes
            if let note = admission.reserveNote { payload.notes.append(note) }
            if let error = failure {
                payload.notes.append(
                    "This call's cost could not be written to the spend ledger at \(error.path) (\(error.reason)); "
                        + "its hold still counts at the worst case."
                )
            }
            if wasCancelled, gate != nil { keep(payload, of: call) }
            return .data(payload, charge: charge, cost: cost)
        case .failed(let failure, _):
            let charge = settleFailure(failure, call: call, admission: admission, wasSent: gate?.wasSent ?? false)
            return .failed(failure, charge: charge)
        case .quoted(let quote):
            spend.release(admission)
            return .quoted(quote)
        }
    }

    /// Sends a paid call in a task of its own behind a `SendGate`, so that the client's
    /// cancellation stops it only while nothing has left; a free call is simply cancelled.
    ///
    /// The gate tells the ledger right before the request leaves: from then on the hold is
    /// settled, never given back.
    private func send(
        _ call: PendingCall,
        admission: SpendGuard.Admission,
        next: @escaping NextStage
    ) async -> (CallOutcome, SendGate?) {
        guard call.tool.price.isPaid else { return (await next(call), nil) }
        var gated = call
        let gate = SendGate { [spend] in spend.markSent(admission) }
        // Cancelled while the hold was being made durable: nothing may leave (the work
        // task below does not inherit the cancellation, and could send before it is seen).
        if Task.isCancelled { gate.stop() }
        gated.sendGate = gate
        let work = Task { [gated] in await next(gated) }
        gate.onStop { work.cancel() }
        let outcome = await withTaskCancellationHandler {
            await work.value
        } onCancel: {
            gate.stop()
        }
        return (outcome, gate)
    }

    /// The data of a call its client cancelled after the request left: paid for, so kept
    /// as a saved result the user can still read.
    private func keep(_ payload: UpstreamPayload, of call: PendingCall) {
        guard let saved = try? savedResults.save(payload.data, tool: call.tool.name) else { return }
        call.context.log(
            .notice,
            "\(call.tool.name) was cancelled after its request reached \(call.providerName); its cost was settled "
                + "and its data saved as \(saved.uri)"
        )
    }

    /// Settles a failed call.
    ///
    /// A failure the provider may still have billed (a 502, a reset after sending, a
    /// timeout, a cancellation after the request left) counts at the worst case: the
    /// limits must hold even then. One that never reached the provider gives its hold back.
    private func settleFailure(
        _ failure: ToolFailure,
        call: PendingCall,
        admission: SpendGuard.Admission,
        wasSent: Bool
    ) -> Charge {
        let cost = call.cost
        var charge = Charge.nothing(cost.currency, "nothing charged: the call failed")
        var mayHaveCharged = false
        if case .upstream(let error) = failure, error.possibleCharge != nil { mayHaveCharged = true }
        // A request that left and then lost its answer (a cancelled poll) may be billed all the same.
        if !failure.reachedProvider, wasSent { mayHaveCharged = true }
        if mayHaveCharged {
            charge = Charge(
                cost: cost.worstCase,
                basis: "the provider may have charged for this failed call; counted at the worst case "
                    + "(`social-data-mcp usage` lists it; check the provider's balance)"
            )
        }
        guard failure.reachedProvider || mayHaveCharged else {
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
