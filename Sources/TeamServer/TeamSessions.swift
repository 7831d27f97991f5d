import Locking
import MCP
import Wire

/// The legacy (2025-11-25) sessions: `initialize` opens one, named by `Mcp-Session-Id` on
/// every later request, each with its own `MCPServer` (negotiated version, log level).
///
/// A session belongs to the member who opened it: another member's token with its id gets
/// the same 404 as an unknown id, so ids cannot be probed across members.
final class TeamSessions: Sendable {
    private struct Session {
        let member: String
        let server: MCPServer
        var lastUsed: ContinuousClock.Instant
        /// The requests running, so `notifications/cancelled` can stop one.
        var running: [RequestID: @Sendable () -> Void] = [:]
    }

    private let table = Locked([String: Session]())
    private let maximum: Int
    private let idleLimit: Duration

    init(maximum: Int, idleLimit: Duration) {
        self.maximum = max(1, maximum)
        self.idleLimit = idleLimit
    }

    /// Opens a session and returns its id; the session idle longest goes when the table is full.
    func open(member: String, server: MCPServer) -> String {
        let id = Self.newID()
        let now = ContinuousClock.now
        table.withLock { table in
            table = table.filter { now - $0.value.lastUsed < idleLimit || !$0.value.running.isEmpty }
            while table.count >= maximum,
                let oldest = table.filter({ $0.value.running.isEmpty }).min(by: {
                    $0.value.lastUsed < $1.value.lastUsed
                })
            {
                table.removeValue(forKey: oldest.key)
            }
            table[id] = Session(member: member, server: server, lastUsed: now)
        }
        return id
    }

    /// The session's server, if `id` names a live session of this member.
    func server(_ id: String, member: String) -> MCPServer? {
        let now = ContinuousClock.now
        return table.withLock { table in
            guard let session = table[id], session.member == member else { return nil }
            guard now - session.lastUsed < idleLimit || !session.running.isEmpty else {
                table.removeValue(forKey: id)
                return nil
            }
            table[id]?.lastUsed = now
            return session.server
        }
    }

    /// Ends a session (HTTP `DELETE`); false when there was none for this member.
    func close(_ id: String, member: String) -> Bool {
        let running = table.withLock { table -> [@Sendable () -> Void]? in
            guard let session = table[id], session.member == member else { return nil }
            table.removeValue(forKey: id)
            return Array(session.running.values)
        }
        guard let running else { return false }
        // A request still running in an ended session has no one to answer: stop it
        // (a paid call already sent is still settled by the pipeline).
        for cancel in running { cancel() }
        return true
    }

    /// Notes a running request of a session, with how to cancel it.
    func track(_ id: String, request: RequestID, cancel: @escaping @Sendable () -> Void) {
        table.withLock { $0[id]?.running[request] = cancel }
    }

    /// Forgets a finished request.
    func finish(_ id: String, request: RequestID) {
        table.withLock { table in
            _ = table[id]?.running.removeValue(forKey: request)
            table[id]?.lastUsed = ContinuousClock.now
        }
    }

    /// Cancels a running request of the session (`notifications/cancelled`).
    func cancel(_ id: String, request: RequestID) {
        let cancel = table.withLock { $0[id]?.running[request] }
        cancel?()
    }

    /// Sessions open.
    var count: Int { table.withLock { $0.count } }

    /// 128 random bits as hex: visible ASCII, as the transport asks of a session id.
    private static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let value = generator.next()
            let hex = String(value, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}
