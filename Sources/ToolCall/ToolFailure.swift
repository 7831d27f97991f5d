import Catalog
import Spend
import Wire

/// Every way a `tools/call` can fail once the tool is known, so that each reaches the
/// model in the same shape: a message that says what to do, and the same facts as data.
public enum ToolFailure: Error, Sendable {
    /// The arguments broke a rule of the row; nothing was sent.
    case invalidArguments(tool: String, ArgumentError)
    /// The provider, or the way to it, failed.
    case upstream(UpstreamError)
    /// A spend limit refused the call; nothing was sent.
    case refused(BudgetRefusal, provider: String, cost: CallCost)
    /// The spend ledger could not be written, so the limits could not be enforced; a paid
    /// call is refused rather than made unrecorded.
    case ledgerUnavailable(LedgerError)
    /// The call is above the ask-first threshold and not approved (yet); nothing was sent.
    case needsApproval(ApprovalRequest)

    /// The message for the model and the user.
    public var message: String {
        switch self {
        case .invalidArguments(let tool, let error):
            return "Invalid arguments for \(tool): \(error.message)"
        case .upstream(let error):
            return error.message
        case .refused(let refusal, let provider, let cost):
            return Self.advice(refusal, provider: provider, cost: cost)
        case .ledgerUnavailable(let error):
            return "Refused: the spend ledger at \(error.path) could not be written (\(error.reason)), so the "
                + "spend limits could not be checked. Set \(Configuration.stateDirectoryKey.variable) to a writable "
                + "folder and restart the server. Nothing was sent or charged."
        case .needsApproval(let request):
            return request.message
        }
    }

    /// The failure as data, for `structuredContent.error`.
    public var json: JSONValue {
        switch self {
        case .invalidArguments(_, let error):
            return [
                "kind": "invalid_arguments", "argument": error.argument.map { .string($0) } ?? .null,
                "message": .string(message),
            ]
        case .upstream(let error):
            return error.json
        case .refused(let refusal, _, let cost):
            var object: [String: JSONValue] = [
                "kind": "budget_exceeded",
                "message": .string(message),
                "limit_scope": .string(refusal.scope.rawValue),
                "limit": .double(refusal.limit.amount),
                "spent": .double(refusal.spent.amount),
                "reserved": .double(refusal.reserved.amount),
                "available": .double(max(refusal.available, .zero(refusal.currency)).amount),
                "worst_case": refusal.worstCase.map { .double($0.amount) } ?? .null,
                "currency": .string(refusal.currency.rawValue.uppercased()),
                "raise_with": .string(refusal.setting.variable),
            ]
            if let member = refusal.member {
                object["member"] = .string(member)
                object["limit_owner"] = .string(refusal.isMembersOwn ? "member" : "team")
                if refusal.isMembersOwn {
                    object["raise_with"] = .string(
                        "member limit \(member) --\(refusal.scope == .day ? "daily" : "monthly")-limit-\(refusal.currency.rawValue)"
                    )
                }
            }
            if let today = refusal.spentToday { object["spent_today"] = .double(today.amount) }
            if let month = refusal.spentThisMonth { object["spent_this_month"] = .double(month.amount) }
            if let page = cost.largestFittingPage(in: refusal.available) {
                object["largest_fitting_page"] = [page.argument: .int(page.count)]
            }
            return .object(object)
        case .ledgerUnavailable(let error):
            return [
                "kind": "ledger_unavailable", "path": .string(error.path), "reason": .string(error.reason),
                "message": .string(message),
            ]
        case .needsApproval(let request):
            return request.json
        }
    }

    /// Whether the provider may have charged for the failed call, so that the ledgers
    /// count it as a call.
    public var reachedProvider: Bool {
        guard case .upstream(let error) = self else { return false }
        switch error.kind {
        case .missingConfiguration, .insecureBaseURL, .cancelled: return false
        default: return true
        }
    }

    /// The refusal's advice: what was spent, what the call could cost, the largest page
    /// that fits, and which setting to raise.
    private static func advice(_ refusal: BudgetRefusal, provider: String, cost: CallCost) -> String {
        var message = "Refused before calling \(provider): \(refusal.phrase). "
        if let worstCase = refusal.worstCase {
            message += "This call could cost up to \(worstCase.formatted) (\(cost.worstCaseBasis)), "
        } else {
            message += "This call's cost is only known afterwards, "
        }
        message += "and \(refusal.spent.formatted) of the \(refusal.limit.formatted) limit is already spent"
        if !refusal.reserved.isZero { message += " (\(refusal.reserved.formatted) more held for calls in flight)" }
        message += ", leaving \(max(refusal.available, .zero(refusal.currency)).formatted)."
        if let today = refusal.spentToday, let month = refusal.spentThisMonth {
            message += " Spent across all server processes: \(today.formatted) today, \(month.formatted) this month."
        }
        if let page = cost.largestFittingPage(in: refusal.available) {
            message += " A call with \(page.argument) ≤ \(page.count) would fit."
        }
        return message + " " + refusal.raiseAdvice + " Nothing was sent or charged."
    }
}
