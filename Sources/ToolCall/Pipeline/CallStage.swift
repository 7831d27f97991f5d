import Catalog
import Spend
import Upstream
import Wire

/// One call on its way through the pipeline: the row, what the model sent, and what the
/// stages before this one learned about it.
struct PendingCall: Sendable {
    /// The row and its toolset.
    let entry: ToolCatalog.Entry
    /// How to reach the provider; `nil` for the server's own tools.
    let provider: Provider?
    /// The arguments as the model sent them.
    let given: [String: JSONValue]
    /// Progress and logging for this call.
    let context: CallContext
    /// The validated arguments (defaults applied), once validation passed.
    var arguments: [String: JSONValue] = [:]
    /// The price of these arguments, once quoted.
    var cost: CallCost
    /// For paid calls, when the request leaves for the provider (set by the spend gate).
    var sendGate: SendGate?
    /// The worst case the user (or the model, with a token) approved and the threshold it
    /// was above, set by the ask stage; the spend gate holds no more than that.
    var approved: (worstCase: SpendGuard.WorstCase, threshold: Money)?

    var tool: ToolDefinition { entry.tool }
    var providerID: String { entry.toolset.id }
    var providerName: String { entry.toolset.name }
}

/// What the stages after one hand back: data with what it cost, a failure with what it
/// may have cost, or a quote.
enum CallOutcome: Sendable {
    /// Data. `charge` is `nil` until a stage on the way out has settled it.
    case data(UpstreamPayload, charge: Charge?, cost: CallCost)
    /// A failure; `charge` says what it may have cost when it reached the provider.
    case failed(ToolFailure, charge: Charge?)
    /// A dry run: the quote alone.
    case quoted(CallCost)
}

/// The rest of the pipeline, as a stage sees it.
typealias NextStage = @Sendable (PendingCall) async -> CallOutcome

/// One concern of a `tools/call`, in the shape `handle(call, next)`.
///
/// A stage may answer on its own (a validation error, a quote, a cache hit, a refusal) or
/// call `next` and look at what comes back (settling the spend, storing in the cache).
protocol CallStage: Sendable {
    /// Handles the call, calling `next` to go on.
    func handle(_ call: PendingCall, next: @escaping NextStage) async -> CallOutcome
}
