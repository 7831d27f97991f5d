import Foundation

/// The providers' documented answers, played back by path prefix: point
/// `DATANEXUS_BASE_URL` at `/datanexus`, `GEO_BASE_URL` at `/geo/open-api/v1` and so on,
/// and one stand-in serves all five providers.
public enum DocumentedResponses {
    /// The base URL of each provider on a stand-in at `root`, keyed by environment variable.
    public static func baseURLs(_ root: String) -> [String: String] {
        [
            "DATANEXUS_BASE_URL": root + "/datanexus",
            "GEO_BASE_URL": root + "/geo/open-api/v1",
            "TIKOMNI_BASE_URL": root + "/tikomni",
            "CREATIVAULT_BASE_URL": root + "/creativault/openapi/v1",
            "DATATRUST_BASE_URL": root + "/datatrust/api/v1",
        ]
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
        let prefixes = ["/datanexus", "/geo/open-api/v1", "/tikomni", "/creativault/openapi/v1", "/datatrust/api/v1"]
        guard let prefix = prefixes.first(where: { path.hasPrefix($0) }) else {
            return .json(404, ["error": "no stand-in route for \(path)"])
        }
        let rest = String(path.dropFirst(prefix.count))
        switch prefix {
        case "/datanexus": return dataNexus(request, rest)
        case "/geo/open-api/v1": return geo(request, rest, state: state)
        case "/tikomni": return tikOmni(request, rest)
        case "/creativault/openapi/v1": return creatiVault(request, rest, state: state)
        default: return dataTrust(request, rest)
        }
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
