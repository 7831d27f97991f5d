import Catalog
import Spend

/// Answers the server's own tools (`social_data_usage`) with no upstream request.
struct LocalAnswerStage: CallStage {
    /// The answer of each local row, by tool name.
    let answers: [String: @Sendable (PendingCall) -> UpstreamPayload]

    func handle(_ call: PendingCall, next: @escaping NextStage) async -> CallOutcome {
        guard case .local = call.tool.execution else { return await next(call) }
        guard let answer = answers[call.tool.name] else {
            let error = UpstreamError(.rejected, provider: call.providerName, advice: "No local answer for this tool.")
            return .failed(.upstream(error), charge: nil)
        }
        return .data(answer(call), charge: .nothing(.cny, "free: answered locally"), cost: call.cost)
    }
}
