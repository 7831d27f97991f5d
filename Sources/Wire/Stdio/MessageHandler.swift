/// What a transport hands its messages to: the MCP server, seen from the wire.
///
/// The stdio loop (and any other transport) only frames, orders and cancels messages;
/// what they mean is the handler's business.
public protocol MessageHandler: Sendable {
    /// The response to a request: a result or an error, never nothing.
    func handle(_ request: RPCRequest) async -> JSONValue

    /// Handles a notification from the client (nothing is ever sent back).
    func handle(notification method: String, params: [String: JSONValue])

    /// Whether requests of this method are long work that waits its turn behind a bound on
    /// how many run at once (tool calls), rather than being answered at once.
    func isQueued(_ method: String) -> Bool

    /// Takes the client's response to a request the server sent it.
    func handle(response id: RequestID, result: JSONValue?)
}

extension MessageHandler {
    /// A handler that never sends requests drops responses.
    public func handle(response id: RequestID, result: JSONValue?) {}
}
