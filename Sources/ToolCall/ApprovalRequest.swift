import Catalog
import Spend
import Wire

/// A call above the ask-first threshold that has not been approved: nothing was sent,
/// held or spent, and this says what happens next.
public struct ApprovalRequest: Sendable {
    /// What the caller gets back.
    public enum Step: Sendable {
        /// No elicitation: the model shows the price and calls again with this token.
        case confirmWithToken(String)
        /// The user declined, cancelled or did not answer (or the approval did not match).
        case notApproved
        /// 2026-07-28: `input_required` with these `elicitation/create` params and state.
        case askUser(JSONValue, requestState: String)
    }

    /// What happens next.
    public let step: Step
    /// The tool.
    public let tool: String
    /// The worst case quoted, and its basis: the hold's reserve as it would be now.
    public let worstCase: SpendGuard.WorstCase
    /// The threshold it is above.
    public let threshold: Money
    /// Why, beyond the threshold: a refused token, a declined form.
    public let reason: String?
    /// Whether the server is in sandbox mode (it asks all the same, so a workflow can be tried).
    public var isSandbox = false

    /// The `inputRequests` key of the approval form.
    public static let inputKey = "approve_spend"

    /// The message for the model.
    public var message: String {
        let key = worstCase.currency == .credits ? Configuration.confirmAboveCreditsKey : Configuration.confirmAboveKey
        let quote =
            "\(tool) could cost up to \(worstCase.formatted) (\(worstCase.words)), above the \(threshold.formatted) "
            + "at which this server asks first (\(key.variable))."
            + (isSandbox ? " Sandbox mode: once approved it answers with sample data and charges nothing." : "")
        switch step {
        case .confirmWithToken(let token):
            let why = reason.map { "Not sent: \($0). " } ?? "Confirmation needed. "
            return why + quote + " Nothing was sent or spent. Show the user this price; if they agree, call "
                + "\(tool) again with the same arguments plus \"confirm_token\": \"\(token)\" "
                + "(good once, for 10 minutes)."
        case .notApproved:
            return "Not sent: the user did not approve (\(reason ?? "no answer")). " + quote
                + " Nothing was sent, held or spent; do not retry unless the user asks for it."
        case .askUser:
            return "Waiting for the user's approval. " + quote
        }
    }

    /// The same facts as data, for `structuredContent.error`.
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "kind": .string(isNotApproved ? "not_approved" : "confirmation_required"),
            "message": .string(message),
            "tool": .string(tool),
            "worst_case": worstCase.amount.map { .double($0.amount) } ?? .null,
            "worst_case_basis": .string(worstCase.words),
            "reserve_basis": .string(worstCase.basis.rawValue),
            "currency": .string(worstCase.currency.rawValue.uppercased()),
            "confirm_above": .double(threshold.amount),
        ]
        if let reason { object["reason"] = .string(reason) }
        if isSandbox { object["sandbox"] = true }
        return .object(object)
    }

    private var isNotApproved: Bool {
        if case .notApproved = step { return true }
        return false
    }
}
