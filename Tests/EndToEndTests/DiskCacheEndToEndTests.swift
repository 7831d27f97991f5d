import Foundation
import LoopbackStandIn
import Testing
import ToolCall
import Wire

/// The disk cache through the real binary: clients that start a server process per call
/// (LangChain's `get_tools()`, llama-index) or restart it often do not pay twice for one read.
@Suite("Disk cache end to end") struct DiskCacheEndToEndTests {
    @Test func aPaidReadRepeatedByASecondProcessSendsNothingAndCostsNothing() async throws {
        let upstream = try LoopbackServer(handler: DocumentedResponses.makeHandler())
        defer { upstream.stop() }
        let state = try ServerProcess.freshStateDirectory()
        var environment = Harness.keys.merging(DocumentedResponses.baseURLs(upstream.baseURL())) { _, url in url }
        environment["SOCIAL_DATA_MCP_STATE_DIR"] = state
        let read: JSONValue = ["platform": "douyin", "id": "506931231"]

        let first = try ServerProcess(environment: environment, name: "first")
        try await first.initialize()
        let paid = try await first.callTool("datanexus_get_author", read)
        await first.stop()
        let paidCost = paid["structuredContent"]?["billing"]?["cost"]?.doubleValue ?? 0
        #expect(!paid.isToolError && paidCost > 0, "the first read is paid: \(paidCost)")
        #expect(upstream.callRequests.count == 1)

        let second = try ServerProcess(environment: environment, name: "second")
        try await second.initialize()
        let cached = try await second.callTool(
            "datanexus_get_author",
            ["platform": "douyin", "id": "506931231", "max_age": 600]
        )
        #expect(upstream.callRequests.count == 1, "the second process sent nothing upstream")
        #expect(cached["structuredContent"]?["billing"]?["cost"] == .double(0))
        #expect(cached["structuredContent"]?["billing"]?["cached"] == true)
        #expect(cached["structuredContent"]?["data"] == paid["structuredContent"]?["data"], "the same data")
        for view in [cached.textView, cached.structuredView] {
            #expect(
                view.contains("Cost: ¥0.00 (answered from cache (on disk, shared by every server process"),
                "\(view.prefix(600))"
            )
        }
        let usage = try await second.callTool("social_data_usage", ["tool": "datanexus_get_author"])
        let totals = usage["structuredContent"]?["data"]?["by_tool"]?["datanexus_get_author"]
        #expect(totals?["cache_hits"] == 1 && totals?["spent_cny"] == .double(0), "the ledger records the hit")
        #expect(usage["structuredContent"]?["data"]?["by_tool"]?.objectValue?.count == 1, "tool filters by_tool")

        // max_age 0 still fetches fresh, and pays.
        let fresh = try await second.callTool(
            "datanexus_get_author",
            ["platform": "douyin", "id": "506931231", "max_age": 0]
        )
        #expect(upstream.callRequests.count == 2)
        #expect((fresh["structuredContent"]?["billing"]?["cost"]?.doubleValue ?? 0) > 0)
        await second.stop()

        // On disk: names are hashes, files are the user's alone, no key in any of them.
        let folder = state + "/cache"
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(!names.isEmpty)
        for name in names {
            #expect(name.wholeMatch(of: /[0-9a-f]{64}\.json/) != nil, "\(name)")
            let attributes = try FileManager.default.attributesOfItem(atPath: folder + "/" + name)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
            for secret in Harness.keys.values where !secret.contains("@") { #expect(!text.contains(secret)) }
        }
        let folderMode = try FileManager.default.attributesOfItem(atPath: folder)[.posixPermissions] as? Int
        #expect(folderMode == 0o700)
    }
}
