import Foundation
import LoopbackStandIn
import Testing
import Wire

/// CreatiVault's credits across real server processes.
///
/// A search's charge is known only afterwards and no document gives a default, so until one
/// is recorded a call holds everything left and runs alone. Processes pipelining searches
/// under a daily credit limit never pass it (once 32 credits were spent against a limit of 5).
@Suite("Credit race end to end") struct CreditRaceEndToEndTests {
    @Test func processesPipeliningSearchesNeverPassTheDailyCreditLimit() async throws {
        let upstream = try LoopbackServer(handler: DocumentedResponses.makeHandler())
        defer { upstream.stop() }
        let environment = [
            "CREATIVAULT_API_KEY": Harness.keys["CREATIVAULT_API_KEY"] ?? "",
            "CREATIVAULT_USER_IDENTITY": Harness.keys["CREATIVAULT_USER_IDENTITY"] ?? "",
            "CREATIVAULT_BASE_URL": DocumentedResponses.baseURLs(upstream.baseURL())["CREATIVAULT_BASE_URL"] ?? "",
            "SOCIAL_DATA_MCP_STATE_DIR": try ServerProcess.freshStateDirectory(),
            "SOCIAL_DATA_MCP_DAILY_LIMIT_CREDITS": "5",
            "SOCIAL_DATA_MCP_CONFIRM_ABOVE_CREDITS": "none",
            "SOCIAL_DATA_MCP_CACHE_TTL": "0",
        ]
        var servers: [ServerProcess] = []
        for index in 0..<4 {
            let server = try ServerProcess(environment: environment, name: "creativault-\(index)")
            try await server.initialize()
            servers.append(server)
        }
        // Each process pipelines 8 searches of 2 creators: 2 credits each at S1.
        let answered = try await withThrowingTaskGroup(of: Bool.self) { group in
            for (index, server) in servers.enumerated() {
                for call in 0..<8 {
                    group.addTask {
                        let result = try await server.callTool(
                            "creativault_search_creators",
                            ["platform": "tiktok", "size": 2, "keyword": .string("k\(index)-\(call)")]
                        )
                        return !result.isToolError
                    }
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        for server in servers { await server.stop() }
        let searches = upstream.requests.filter { $0.path.hasSuffix("/search") }.count
        #expect(searches >= 1 && searches == answered, "\(searches) searches sent, \(answered) answered")
        #expect(searches * 2 <= 5, "the provider charged \(searches * 2) credits under a limit of 5")
        let usage = try await withTemporaryDirectory { directory in
            try await CommandRun.run(["usage", "--format", "json"], environment: environment, directory: directory)
        }
        let json = try JSONParser.parse(usage.stdout)
        #expect(
            json["limits"]?["daily_credits"]?["spent"] == .double(Double(searches * 2)),
            "the ledger holds the charge"
        )
        #expect(json["unsettled"]?.arrayValue?.isEmpty == true)
    }
}
