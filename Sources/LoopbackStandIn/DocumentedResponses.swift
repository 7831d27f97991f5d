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

    /// Answers a request as the documented provider would.
    public static func respond(_ request: RecordedRequest) -> StubResponse {
        let path = request.path
        for (prefix, route) in routes where path.hasPrefix(prefix) {
            return route(request, String(path.dropFirst(prefix.count)))
        }
        return .json(404, ["error": "no stand-in route for \(path)"])
    }

    private static let routes: [(String, @Sendable (RecordedRequest, String) -> StubResponse)] = [
        ("/datanexus", dataNexus),
        ("/geo/open-api/v1", geo),
        ("/tikomni", tikOmni),
        ("/creativault/openapi/v1", creatiVault),
        ("/datatrust/api/v1", dataTrust),
    ]

    /// Matches a path against a pattern such as `api/v1/platforms/:platform/authors`,
    /// returning the `:name` segments in order, or `nil` when it does not match.
    static func match(_ path: String, _ pattern: String) -> [String]? {
        let parts = path.split(separator: "/").map { $0.removingPercentEncoding ?? String($0) }
        let expected = pattern.split(separator: "/").map(String.init)
        guard parts.count == expected.count else { return nil }
        var captures: [String] = []
        for (part, want) in zip(parts, expected) {
            if want.hasPrefix(":") {
                captures.append(part)
            } else if part != want {
                return nil
            }
        }
        return captures
    }
}
