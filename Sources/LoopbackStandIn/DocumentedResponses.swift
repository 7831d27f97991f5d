import Foundation
import SeedFixtures

/// The providers' documented answers, played back by path prefix: point
/// `DATANEXUS_BASE_URL` at `/datanexus`, `GEO_BASE_URL` at `/geo/open-api/v1` and so on,
/// and one stand-in serves all five providers.
public enum DocumentedResponses {
    /// Where each provider is mounted on the stand-in: the one place base paths are written.
    ///
    /// Every provider with fixtures is served: these five at their documented base paths
    /// with their own handlers (keys, error cases, state); any other at `/<id>` (its
    /// `<ID>_BASE_URL`), answering from its fixtures alone. So adding a provider touches
    /// its provider file, the table's list and its fixtures, and nothing here.
    static let mounts: [Mount] = scripted + fixtureOnlyMounts(besides: scripted)

    static let scripted: [Mount] = [
        Mount("DATANEXUS_BASE_URL", "/datanexus", provider: "datanexus") { request, path, _ in dataNexus(request, path)
        },
        Mount("GEO_BASE_URL", "/geo/open-api/v1", provider: "geo", handler: geo),
        Mount("TIKOMNI_BASE_URL", "/tikomni", provider: "tikomni") { request, path, _ in tikOmni(request, path) },
        Mount("CREATIVAULT_BASE_URL", "/creativault/openapi/v1", provider: "creativault", handler: creatiVault),
        Mount("DATATRUST_BASE_URL", "/datatrust/api/v1", provider: "datatrust") { request, path, _ in
            dataTrust(request, path)
        },
    ]

    static func fixtureOnlyMounts(besides scripted: [Mount]) -> [Mount] {
        let mounted = Set(scripted.map(\.provider))
        let others = Set(SeedFixtures.entries.map(\.provider)).subtracting(mounted).sorted()
        return others.map { id in
            Mount("\(id.uppercased())_BASE_URL", "/\(id)", provider: id) { request, path, _ in
                fixture(id, request, path) ?? .json(404, ["error": "no fixture for \(request.method) \(path)"])
            }
        }
    }

    /// A provider's place on the stand-in.
    struct Mount: Sendable {
        /// The base URL variable the server reads.
        let variable: String
        /// The path prefix that stands for the provider's base URL.
        let prefix: String
        /// The provider's id, which is also its fixture folder.
        let provider: String
        /// Answers a request, given the path after the prefix.
        let handler: @Sendable (RecordedRequest, String, StandInState) -> StubResponse

        init(
            _ variable: String,
            _ prefix: String,
            provider: String,
            handler: @escaping @Sendable (RecordedRequest, String, StandInState) -> StubResponse
        ) {
            self.variable = variable
            self.prefix = prefix
            self.provider = provider
            self.handler = handler
        }
    }

    /// The base URL of each provider on a stand-in at `root`, keyed by environment variable.
    public static func baseURLs(_ root: String) -> [String: String] {
        Dictionary(uniqueKeysWithValues: mounts.map { ($0.variable, root + $0.prefix) })
    }

    /// The path prefix a provider is mounted at (`/geo/open-api/v1`).
    public static func prefix(of provider: String) -> String? {
        mounts.first { $0.provider == provider }?.prefix
    }

    /// A handler with its own state (GEO's rate limiter, CreatiVault's task progress), so
    /// stand-ins running side by side in one test process do not share it.
    public static func makeHandler() -> LoopbackServer.Handler {
        let state = StandInState()
        return { request in respond(request, state: state) }
    }

    /// Answers a request as the documented provider would, with fresh state each time
    /// (tests that script several calls use `makeHandler()`).
    public static func respond(_ request: RecordedRequest) -> StubResponse {
        respond(request, state: StandInState())
    }

    static func respond(_ request: RecordedRequest, state: StandInState) -> StubResponse {
        let path = request.path
        guard let mount = mounts.first(where: { path.hasPrefix($0.prefix) }) else {
            return .json(404, ["error": "no stand-in route for \(path)"])
        }
        return mount.handler(request, String(path.dropFirst(mount.prefix.count)), state)
    }

    /// The provider's fixture for `path` (after the mount prefix), served byte for byte.
    static func fixture(
        _ provider: String,
        _ request: RecordedRequest,
        _ path: String,
        status: Int = 200
    )
        -> StubResponse?
    {
        guard let entry = SeedFixtures.response(provider: provider, method: request.method, path: path),
            let text = SeedFixtures.text(entry.file)
        else { return nil }
        return StubResponse(
            status: status,
            headers: ["Content-Type": "application/json; charset=utf-8"],
            body: Array(text.utf8)
        )
    }

    /// Matches a path against a pattern such as `api/v1/platforms/:platform/authors`,
    /// returning the `:name` segments in order, or `nil` when it does not match.
    static func match(_ path: String, _ pattern: String) -> [String]? {
        let parts = path.split(separator: "/")
        let expected = pattern.split(separator: "/")
        guard parts.count == expected.count else { return nil }
        var captures: [String] = []
        for (part, want) in zip(parts, expected) {
            if want.hasPrefix(":") {
                // Decoded only when captured and escaped: CoreFoundation's decoding of
                // every segment for every pattern tried was the stand-in's largest cost.
                captures.append(part.contains("%") ? part.removingPercentEncoding ?? String(part) : String(part))
            } else if part != want {
                return nil
            }
        }
        return captures
    }
}
