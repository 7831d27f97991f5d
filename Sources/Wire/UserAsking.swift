/// How a tool call can put a question to the user, by the era of its request.
public enum UserAsking: Sendable {
    /// 2025-11-25: send `elicitation/create` with these params during the call and wait for
    /// the client's `ElicitResult` (`nil`: an error response, no answer in time, or cancelled).
    case request(@Sendable (JSONValue) async -> JSONValue?)
    /// 2026-07-28: the call answers `input_required`, and the client retries it with the
    /// user's answers (`inputResponses`) and the `requestState` it was given.
    case retry(responses: [String: JSONValue], requestState: String?)
}
