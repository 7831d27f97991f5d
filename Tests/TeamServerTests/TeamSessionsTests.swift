import Locking
import MCP
import Testing
import Wire

@testable import TeamServer

/// Legacy sessions belong to the member who opened them and stay bounded.
@Suite("team server sessions")
struct TeamSessionsTests {
    private struct NoApplication: MCPApplication {
        var instructions: String { "" }
        func listTools() -> [JSONValue] { [] }
        func callTool(name: String, arguments: JSONValue?, context: CallContext) async -> Result<JSONValue, RPCError> {
            .failure(.methodNotFound(name))
        }
        func listPrompts() -> [JSONValue] { [] }
        func getPrompt(name: String, arguments: [String: String]) -> Result<JSONValue, RPCError> {
            .failure(.methodNotFound(name))
        }
        func listResources() -> [JSONValue] { [] }
        func listResourceTemplates() -> [JSONValue] { [] }
        func readResource(uri: String) -> [JSONValue]? { nil }
    }

    private func server() -> MCPServer {
        MCPServer(application: NoApplication(), notify: { _ in }, diagnostics: { _ in })
    }

    @Test func anotherMembersSessionIsNotFound() {
        let sessions = TeamSessions(maximum: 10, idleLimit: .seconds(60))
        let id = sessions.open(member: "alice", server: server())
        #expect(id.count == 32 && id.allSatisfy(\.isHexDigit))
        #expect(sessions.server(id, member: "alice") != nil)
        #expect(sessions.server(id, member: "bob") == nil)
        #expect(!sessions.close(id, member: "bob"))
        #expect(sessions.close(id, member: "alice"))
        #expect(sessions.server(id, member: "alice") == nil)
    }

    @Test func theTableIsBoundedAndTheIdlestGoesFirst() {
        let sessions = TeamSessions(maximum: 3, idleLimit: .seconds(60))
        let first = sessions.open(member: "alice", server: server())
        let second = sessions.open(member: "alice", server: server())
        let third = sessions.open(member: "alice", server: server())
        _ = sessions.server(first, member: "alice")
        let fourth = sessions.open(member: "alice", server: server())
        #expect(sessions.count == 3)
        #expect(sessions.server(second, member: "alice") == nil, "the session idle longest was dropped")
        for kept in [first, third, fourth] { #expect(sessions.server(kept, member: "alice") != nil) }
    }

    @Test func endingASessionCancelsWhatItRuns() {
        let sessions = TeamSessions(maximum: 3, idleLimit: .seconds(60))
        let id = sessions.open(member: "alice", server: server())
        let cancelled = Locked(false)
        sessions.track(id, request: .int(7)) { cancelled.withLock { $0 = true } }
        sessions.cancel(id, request: .int(8))
        #expect(!cancelled.withLock { $0 })
        #expect(sessions.close(id, member: "alice"))
        #expect(cancelled.withLock { $0 })
    }
}
