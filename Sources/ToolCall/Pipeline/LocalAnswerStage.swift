import Catalog
import Spend

/// How the server answers one of its own tools: data, or a failure the model can read.
typealias LocalAnswer = @Sendable (PendingCall) -> Result<UpstreamPayload, ToolFailure>

/// Answers the server's own tools (`social_data_usage`) with no upstream request.
struct LocalAnswerStage: CallStage {
    /// The answer of each local row, by tool name.
    let answers: [String: LocalAnswer]

    func handle(_ call: PendingCall, next: @escaping NextStage) async -> CallOutcome {
        guard case .local = call.tool.execution else { return await next(call) }
        guard let answer = answers[call.tool.name] else {
            let error = UpstreamError(.rejected, provider: call.providerName, advice: "No local answer for this tool.")
            return .failed(.upstream(error), charge: nil)
        }
        switch answer(call) {
        case .success(let payload):
            return .data(payload, charge: .nothing(.cny, "free: answered locally"), cost: call.cost)
        case .failure(let failure):
            return .failed(failure, charge: nil)
        }
    }
}
