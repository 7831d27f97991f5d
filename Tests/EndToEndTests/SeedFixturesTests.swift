import Catalog
import Foundation
import LoopbackStandIn
import Providers
import SeedFixtures
import Testing
import Wire

/// The fixtures are the providers' documented examples, and everything that serves them
/// (the stand-in, the sandbox) reads the same committed files.
@Suite("Seed fixtures")
struct SeedFixturesTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    @Test func theBuiltInFixturesAreTheCommittedFiles() throws {
        let index = try JSONParser.parse(Array(Data(contentsOf: Self.fixtures.appendingPathComponent("index.json"))))
        let listed = try #require(index.arrayValue)
        #expect(
            listed.compactMap { $0["file"]?.stringValue }.sorted() == SeedFixtures.entries.map(\.file).sorted(),
            "Fixtures/index.json changed: run scripts/generate"
        )
        for entry in SeedFixtures.entries {
            let committed = try String(contentsOf: Self.fixtures.appendingPathComponent(entry.file), encoding: .utf8)
            let text = committed.hasSuffix("\n") ? String(committed.dropLast()) : committed
            #expect(SeedFixtures.text(entry.file) == text, "\(entry.file) changed: run scripts/generate")
            let row = listed.first { $0["file"]?.stringValue == entry.file }
            #expect(row?["route"]?.stringValue == entry.route && row?["section"]?.stringValue == entry.section)
            #expect(row?["status"]?.stringValue == entry.status.rawValue)
            #expect((try? JSONParser.parse(text)) != nil, "\(entry.file) is not JSON")
        }
    }

    /// Concrete paths for a template: `{name}` filled, `{/name}` with and without.
    static func paths(_ template: String) -> [String] {
        var paths = [template]
        while let index = paths.firstIndex(where: { $0.contains("{") }) {
            let path = paths.remove(at: index)
            guard let open = path.firstIndex(of: "{"), let close = path[open...].firstIndex(of: "}") else { break }
            let name = path[path.index(after: open)..<close]
            let before = String(path[..<open])
            let after = String(path[path.index(after: close)...])
            if name.hasPrefix("/") {
                paths += [before + after, before + "/sample" + after]
            } else {
                paths.append(before + "sample" + after)
            }
        }
        return paths
    }

    static let routes: [(tool: String, provider: String, method: String, path: String)] = ToolTable.toolsets
        .flatMap { provider in
            provider.tools.flatMap { tool in
                let endpoints =
                    if case .passthrough = tool.route {
                        [Endpoint.get("/api/u1/v1/douyin/web/fetch_one_video")]
                    } else {
                        tool.route.endpoints
                    }
                return endpoints.flatMap { endpoint in
                    paths(endpoint.path).map { (tool.name, provider.id, endpoint.method.rawValue, $0) }
                }
            }
        }

    @Test func everyRouteOfTheTableHasADocumentedOrInferredAnswer() {
        #expect(Self.routes.count > 40)
        for route in Self.routes {
            let entry = SeedFixtures.response(provider: route.provider, method: route.method, path: route.path)
            #expect(entry != nil, "\(route.tool): no fixture for \(route.method) \(route.path)")
        }
    }

    @Test func theStandInServesEveryProviderOfTheTableAndEveryFixtureFolder() {
        let variables = Set(DocumentedResponses.baseURLs("http://127.0.0.1:1").keys)
        for provider in ToolTable.providers {
            guard let baseURL = provider.baseURL else { continue }
            #expect(variables.contains(baseURL.variable), "\(provider.id) has no base path on the stand-in")
        }
        for folder in Set(SeedFixtures.entries.map(\.provider)) {
            #expect(DocumentedResponses.prefix(of: folder) != nil, "fixtures of \(folder) are not served")
        }
    }

    @Test func documentedAndInferredAreBothPresent() {
        let statuses = Set(SeedFixtures.entries.map(\.status))
        #expect(statuses == [.documented, .inferred])
        let diagnosis = SeedFixtures.response(
            provider: "tikomni",
            method: "POST",
            path: "/api/u1/v1/douyin/creator_v2/fetch_author_diagnosis"
        )
        #expect(diagnosis?.status == .documented)
        #expect(diagnosis?.seed == "tikomni-douyin-creator-v2-api.md")
    }
}
