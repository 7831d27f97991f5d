import HTTPServer
import MCP
import Wire

/// One request being answered over HTTP: its permit, its cancellation and its stream.
struct RunningCall: Sendable {
    let request: RPCRequest
    let server: MCPServer
    let member: String
    let session: String?
    let sessions: TeamSessions
    let limiter: FairInFlightLimiter

    /// Runs the request; a tool call first waits for one of the member's fair share of permits.
    func run(notify: @escaping @Sendable (JSONValue) -> Void) async -> JSONValue {
        let isToolCall = server.isQueued(request.method)
        if isToolCall {
            do {
                try await limiter.acquire(member)
            } catch {
                return JSONRPC.error(id: request.id, .invalidRequest("cancelled while waiting for a free slot"))
            }
        }
        defer { if isToolCall { limiter.release(member) } }
        let (server, request) = (server, request)
        let work = Task { await server.handle(request, notify: notify) }
        if let session { sessions.track(session, request: request.id) { work.cancel() } }
        defer { if let session { sessions.finish(session, request: request.id) } }
        return await withTaskCancellationHandler {
            await work.value
        } onCancel: {
            work.cancel()
        }
    }

    /// Answers as Server-Sent Events: notifications as they come, then the response.
    ///
    /// The client closing the stream cancels the request (the 2026-07-28 rule); so does
    /// `notifications/cancelled` in a legacy session, after which nothing more is sent.
    func stream(to writer: HTTPResponseWriter, redact: @escaping @Sendable (String) -> String) async {
        let (events, sink) = AsyncStream.makeStream(of: JSONValue.self)
        let work = Task {
            let response = await run(notify: { sink.yield($0) })
            if !Task.isCancelled { sink.yield(response) }
            sink.finish()
        }
        // The writer learns of a closed connection only when it writes; a quiet call is
        // watched, so a client that gave up stops the work (and a paid call not yet sent).
        let watcher = Task {
            while !Task.isCancelled, !writer.clientGone {
                try? await Task.sleep(for: .milliseconds(250))
            }
            if writer.clientGone { work.cancel() }
        }
        for await message in events {
            guard await writer.sendEvent(data: redact(message.jsonText), event: "message") else {
                work.cancel()
                break
            }
        }
        watcher.cancel()
    }
}
