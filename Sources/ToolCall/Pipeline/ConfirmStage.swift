import Catalog
import Spend
import Wire

/// Asks before a paid call whose worst case is above the threshold, once per call and
/// before anything is held or sent.
///
/// The worst case is the one the spend gate's hold would reserve (`SpendGuard.worstCase`):
/// the quote of a per-item price, or for a price the provider reports afterwards the
/// largest charge recorded for the tool, its documented charge, or everything left under
/// the limits. A call at or under the threshold goes on untouched, and so does one whose
/// rate is never disclosed (a dry run, a free tool and a cache hit never get here). Above
/// it: a valid `confirm_token` goes on; a client that declared form elicitation asks the
/// user (`elicitation/create` in 2025-11-25, `input_required` in 2026-07-28); any other gets
/// the quote and a token for the model to confirm with the user.
struct ConfirmStage: CallStage {
    /// The threshold by currency; a currency absent never asks.
    let thresholds: [Money.Currency: Money]
    let tokens: ConfirmationTokens
    let spend: SpendGuard
    let isSandbox: Bool

    func handle(_ call: PendingCall, next: @escaping NextStage) async -> CallOutcome {
        // The threshold first: a currency that never asks never reads the ledger.
        guard call.tool.price.isPaid, let threshold = thresholds[call.cost.currency],
            let worstCase = spend.worstCase(of: call.cost, tool: call.tool.name), worstCase.isAbove(threshold)
        else { return await next(call) }
        // A call the limits will refuse anyway is not put to the user: the spend gate
        // refuses it with its advice, and nothing is sent.
        guard fitsLimits(worstCase) else { return await next(call) }
        let binding = ConfirmationTokens.Binding(call, worstCase: worstCase)
        var approvedCall = call
        approvedCall.approved = (worstCase, threshold)
        var refusal: ConfirmationTokens.Refusal?
        if let token = call.arguments[ToolDefinition.confirmToken.name]?.stringValue, !token.isEmpty {
            refusal = tokens.redeem(token, for: binding)
            if refusal == nil { return await next(approvedCall) }
        }
        func stop(_ step: ApprovalRequest.Step, _ reason: String?) -> CallOutcome {
            var request = ApprovalRequest(
                step: step,
                tool: call.tool.name,
                worstCase: worstCase,
                threshold: threshold,
                reason: reason
            )
            request.isSandbox = isSandbox
            return .failed(.needsApproval(request), charge: nil)
        }
        switch call.context.asking {
        case nil:
            return stop(.confirmWithToken(tokens.issue(binding)), refusal?.reason)
        case .request(let ask):
            let answer = await ask(form(call, worstCase: worstCase, threshold: threshold))
            let action = ConfirmStage.action(answer)
            return action == "accept" ? await next(approvedCall) : stop(.notApproved, action)
        case .retry(let responses, let requestState):
            guard let requestState, let answer = responses[ApprovalRequest.inputKey] else {
                return stop(
                    .askUser(
                        form(call, worstCase: worstCase, threshold: threshold),
                        requestState: tokens.issue(binding)
                    ),
                    nil
                )
            }
            if let stateRefusal = tokens.redeem(requestState, for: binding) {
                return stop(
                    .notApproved,
                    stateRefusal.reason.replacingOccurrences(of: "confirm_token", with: "approval")
                )
            }
            let action = ConfirmStage.action(answer)
            return action == "accept" ? await next(approvedCall) : stop(.notApproved, action)
        }
    }

    /// `accept`, or why not in words; the client's own text is never repeated (it could be anything).
    private static func action(_ answer: JSONValue?) -> String {
        switch answer?["action"]?.stringValue {
        case "accept": return "accept"
        case "decline": return "the user chose decline"
        case "cancel": return "the user chose cancel"
        case nil: return "no answer"
        default: return "an answer that was not accept"
        }
    }

    /// The `elicitation/create` params: the question in English and Chinese, and an empty
    /// form, since accepting is the whole answer.
    private func form(_ call: PendingCall, worstCase: SpendGuard.WorstCase, threshold: Money) -> JSONValue {
        let arguments = call.arguments.keys.sorted().compactMap { name -> String? in
            guard call.tool.parameter(named: name)?.location != .local, let value = call.arguments[name] else {
                return nil
            }
            let text = value.stringValue ?? value.jsonText
            return "\(name): \(text.count > 60 ? String(text.prefix(60)) + "…" : text)"
        }.joined(separator: ", ")
        let sandbox = isSandbox ? " [sandbox: sample data, nothing charged / 沙盒：示例数据，不扣费]" : ""
        let left = remaining(worstCase.currency)
        let english =
            "Approve a paid call? \(call.tool.name) (\(arguments)) could cost up to \(worstCase.formatted) "
            + "(\(worstCase.words)), above your \(threshold.formatted) ask-first threshold."
            + " Left today: \(left.day); this month: \(left.month).\(sandbox)"
        let chinese =
            "是否批准这次付费调用？\(call.tool.name)（\(arguments)）最多花费 \(worstCase.amount?.formatted ?? "不限金额")"
            + "（\(worstCase.words)），超过您设置的 \(threshold.formatted) 确认额度。"
            + "今日剩余：\(left.day.replacingOccurrences(of: "no limit", with: "无上限"))；"
            + "本月剩余：\(left.month.replacingOccurrences(of: "no limit", with: "无上限"))。"
        return [
            "mode": "form",
            "message": .string(english + "\n\n" + chinese),
            "requestedSchema": ["type": "object", "properties": [:]],
        ]
    }

    /// Whether the worst case fits this process's ceiling and the shared limits as they stand.
    ///
    /// "Everything left" always does: the spend gate holds whatever is left.
    private func fitsLimits(_ quoted: SpendGuard.WorstCase) -> Bool {
        guard let worstCase = quoted.amount, quoted.basis != .rest else { return true }
        let budget = spend.budget(includeShared: !isSandbox)
        let currency = worstCase.currency
        if let remaining = budget.process.remaining(currency) {
            let available = remaining - (budget.process.reserved[currency] ?? .zero(currency))
            guard BudgetRefusal.fits(worstCase, available: available) else { return false }
        }
        // The team's limits and, on a team server, the member's own: a call either refuses
        // is refused by the spend gate without asking.
        return [budget.shared, budget.member].compactMap { $0 }.allSatisfy { status in
            [BudgetRefusal.Scope.day, .month].allSatisfy { scope in
                status.remaining(scope, currency).map { BudgetRefusal.fits(worstCase, available: $0) } ?? true
            }
        }
    }

    /// What today's and this month's limits leave across all processes ("no limit" without one).
    private func remaining(_ currency: Money.Currency) -> (day: String, month: String) {
        guard !isSandbox, let shared = spend.budget(includeShared: true).shared else {
            return ("no limit", "no limit")
        }
        func text(_ scope: BudgetRefusal.Scope) -> String {
            shared.remaining(scope, currency).map { max($0, .zero(currency)).formatted } ?? "no limit"
        }
        return (text(.day), text(.month))
    }
}
