import Catalog
import Spend
import Upstream
import Wire

/// The chain of stages a `tools/call` goes through, assembled once per process.
///
///     validate → quote (dry run) → local answer → cache → confirm → spend gate → send
///
/// and on the way back out the spend gate settles, the cache keeps the answer and the
/// pipeline renders the result (trimming oversized data and saving it whole). Sandbox mode
/// is decided here, once: its chain has the sandbox label where the spend gate would be.
struct ToolPipeline: Sendable {
    private let stages: [any CallStage]
    private let spend: SpendGuard
    private let savedResults: SavedResults
    private let isSandbox: Bool

    init(services: ToolServices, localAnswers: [String: LocalAnswer]) {
        let configuration = services.configuration
        let gate: any CallStage =
            configuration.isSandbox
            ? SandboxStage(spend: services.spend)
            : SpendGateStage(
                spend: services.spend,
                savedResults: services.savedResults,
                downloads: services.downloads
            )
        stages = [
            ValidateStage(environment: configuration.environment, secrets: services.secrets),
            QuoteStage(prices: services.prices),
            LocalAnswerStage(answers: localAnswers),
            CacheStage(
                cache: services.cache,
                disk: services.diskCache,
                spend: services.spend,
                configuredTTL: configuration.cacheTTL,
                environment: configuration.environment,
                isSandbox: configuration.isSandbox,
                clock: services.clock
            ),
            ConfirmStage(
                thresholds: configuration.confirmAbove,
                tokens: ConfirmationTokens(clock: services.clock),
                spend: services.spend,
                isSandbox: configuration.isSandbox
            ),
            gate,
            SendStage(
                client: services.client,
                environment: configuration.environment,
                clock: services.clock,
                timeout: configuration.timeout
            ),
        ]
        spend = services.spend
        savedResults = services.savedResults
        isSandbox = configuration.isSandbox
    }

    /// Runs a call of an exposed tool and renders its result.
    func run(
        _ entry: ToolCatalog.Entry,
        provider: Provider?,
        given: [String: JSONValue],
        context: CallContext
    )
        async -> ToolResult
    {
        let call = PendingCall(
            entry: entry,
            provider: provider,
            given: given,
            context: context,
            cost: CallCost(price: entry.tool.price, arguments: given)
        )
        return render(await run(call, from: 0), entry)
    }

    /// A failure found before the pipeline ran (a catalog call naming no tool), rendered
    /// as every other failure is: a result the model reads, nothing charged.
    func failure(_ failure: ToolFailure, _ entry: ToolCatalog.Entry) -> ToolResult {
        render(.failed(failure, charge: nil), entry)
    }

    private func run(_ call: PendingCall, from index: Int) async -> CallOutcome {
        guard index < stages.count else {
            return .failed(.upstream(UpstreamError(.rejected, provider: "")), charge: nil)
        }
        return await stages[index].handle(call) { next in await self.run(next, from: index + 1) }
    }

    /// Writes the outcome as a result, with the budget as it stands after the call; the
    /// ledger on disk is read for paid tools only, so free tools never touch the disk.
    private func render(_ outcome: CallOutcome, _ entry: ToolCatalog.Entry) -> ToolResult {
        if case .failed(.needsApproval(let request), _) = outcome, case .askUser(let form, let state) = request.step {
            var result = ToolResult(content: [], structured: [:], isError: false)
            result.inputRequired = [
                "inputRequests": [ApprovalRequest.inputKey: ["method": "elicitation/create", "params": form]],
                "requestState": .string(state),
            ]
            return result
        }
        let budget = spend.budget(includeShared: entry.tool.price.isPaid && !isSandbox)
        switch outcome {
        case .data(let payload, let charge, let cost):
            return ResultFormatter.success(
                entry,
                cost: cost,
                payload: payload,
                charge: charge ?? .nothing(cost.currency, "free"),
                budget: budget,
                savedResults: savedResults
            )
        case .failed(let failure, let charge):
            var result = ResultFormatter.failure(
                failure,
                currency: entry.tool.price.currency,
                charge: charge,
                budget: budget
            )
            if case .needsApproval(let request) = failure, case .confirmWithToken(let token) = request.step {
                result.structured["confirm_token"] = .string(token)
            }
            return result
        case .quoted(let cost):
            // A price reported afterwards has no quote: the dry run states what the ledger
            // would hold for it instead, as the ask stage does.
            let reserve = cost.worstCase == nil ? spend.worstCase(of: cost, tool: entry.tool.name) : nil
            return ResultFormatter.quote(
                entry,
                cost: cost,
                reserve: reserve,
                endpoint: entry.tool.route.endpoint(for: cost.arguments),
                budget: budget
            )
        }
    }
}
