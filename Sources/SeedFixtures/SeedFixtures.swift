/// The providers' documented examples (the repository's `Fixtures/`), built into the
/// binary, so the loopback stand-in and the server's sandbox answer with the same bodies.
///
/// `scripts/generate` writes `SeedFixtures+Generated.swift` from `Fixtures/`; a test
/// fails when it is stale.
public enum SeedFixtures {
    /// Where a fixture came from.
    public enum Status: String, Sendable {
        /// Copied from an example in the provider's documentation.
        case documented
        /// Written here where the documentation shows no example.
        case inferred
    }

    /// One fixture file and its origin, from `Fixtures/index.json`.
    public struct Entry: Sendable, Equatable {
        /// The path under `Fixtures/` (`geo/brands.response.json`).
        public let file: String
        /// The route it belongs to: method and path template relative to the provider's
        /// base URL (`GET /brands/{brand_id}`); `*` in place of a method or final segment
        /// matches any.
        public let route: String
        /// The seed document (`geo-openapi.md`).
        public let seed: String
        /// The section of the seed it came from.
        public let section: String
        /// Documented or inferred.
        public let status: Status

        /// Creates an entry.
        public init(file: String, route: String, seed: String, section: String, status: Status) {
            self.file = file
            self.route = route
            self.seed = seed
            self.section = section
            self.status = status
        }

        /// The provider's id: the fixture's folder.
        public var provider: String { String(file.prefix { $0 != "/" }) }
        /// Whether this is a provider's answer for its route (not a request, an envelope
        /// template or an error case).
        public var isRouteResponse: Bool {
            let name = file.split(separator: "/").last.map(String.init) ?? ""
            return name.hasSuffix(".response.json") && !name.hasPrefix("envelope") && !name.hasPrefix("error")
        }
        /// Whether this is an example request.
        public var isRequest: Bool { file.hasSuffix(".request.json") }
    }

    /// Every fixture with its origin.
    public static var entries: [Entry] { generatedIndex }

    /// A fixture's text exactly as committed, by its path under `Fixtures/`.
    public static func text(_ file: String) -> String? { generatedFiles[file] }

    /// A provider's documented (or inferred) answer for `method` and `path` (relative to
    /// its base URL, without the query): the most specific route that matches.
    public static func response(provider: String, method: String, path: String) -> Entry? {
        let segments = path.split(separator: "/").map(String.init)
        var best: (entry: Entry, wildcards: Int)?
        for entry in generatedIndex where entry.provider == provider && entry.isRouteResponse {
            guard let wildcards = matches(entry.route, method: method, segments: segments) else { continue }
            if best == nil || wildcards < (best?.wildcards ?? Int.max) { best = (entry, wildcards) }
        }
        return best?.entry
    }

    /// The number of placeholders used to match, or `nil` when `route` does not match.
    static func matches(_ route: String, method: String, segments: [String]) -> Int? {
        let parts = route.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0] == "*" || parts[0] == method else { return nil }
        let pattern = parts[1].split(separator: "/").map(String.init)
        var wildcards = 0
        for (index, want) in pattern.enumerated() {
            if want == "*" { return index <= segments.count ? wildcards + 100 : nil }
            guard index < segments.count else { return nil }
            if want.hasPrefix("{") {
                wildcards += 1
            } else if want != segments[index] {
                return nil
            }
        }
        return pattern.count == segments.count ? wildcards : nil
    }
}
