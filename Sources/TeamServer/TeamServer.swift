import HTTPServer
import MCP
import Members
import Wire

/// `serve --http`: the endpoint on an HTTP server until SIGTERM or SIGINT, then a clean
/// stop that lets calls in flight finish (and so be settled in the ledger).
public enum TeamServer {
    /// Serves until a signal; returns the exit code.
    public static func run(
        address: HTTPListenAddress,
        endpoint: MCPEndpoint,
        log: @escaping @Sendable (String) -> Void
    ) async -> Int32 {
        let server: HTTPServer
        do {
            server = try HTTPServer(address: address) { request in await endpoint.respond(to: request) }
        } catch {
            log("could not listen on \(address): \(error.description)")
            return 1
        }
        let (stopped, stop) = AsyncStream.makeStream(of: Void.self)
        ShutdownSignals.install { stop.yield() }
        log("serving MCP at http://\(server.address)/mcp (Ctrl-C stops it)")
        var signals = stopped.makeAsyncIterator()
        _ = await signals.next()
        log("stopping: letting calls in flight finish")
        await server.shutdown()
        return 0
    }
}
