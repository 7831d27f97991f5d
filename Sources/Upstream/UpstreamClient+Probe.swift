import Catalog
import Foundation
import Wire

extension UpstreamClient {
    /// What a reachability probe found.
    public struct ProbeResult: Sendable {
        /// The probe's route and its outcome, in a few words ("GET /health → HTTP 200 in 40 ms").
        public let summary: String
        /// Whether the provider answered and accepted the key.
        public let isReachable: Bool
    }

    /// Sends a provider's free probe through the same pacing, retries and time budget as a
    /// tool call (`doctor` uses it), and reads the status: anything below 500 but a
    /// refused key means the provider is there.
    public func probe(
        _ provider: Provider,
        environment: Environment,
        budget: Duration = .seconds(5)
    ) async -> ProbeResult? {
        guard let probe = provider.probe, let base = provider.resolvedBaseURL(environment) else { return nil }
        let label = "\(probe.endpoint.method.rawValue) \(probe.endpoint.path)"
        var headers = ["Accept": "application/json", "User-Agent": "social-data-mcp/\(ServerIdentity.version) doctor"]
        if probe.isAuthenticated {
            do {
                try RequestBuilder.authenticate(&headers, provider: provider, environment: environment)
            } catch {
                return ProbeResult(summary: "\(label) → \(error.message)", isReachable: false)
            }
        }
        var body: [UInt8]?
        if let json = probe.body {
            body = json.jsonBytes
            headers["Content-Type"] = "application/json"
        }
        guard let url = URL(string: base + probe.endpoint.path) else {
            return ProbeResult(summary: "\(label) → the base URL \(base) is not a URL", isReachable: false)
        }
        do {
            try BaseURLPolicy.check(
                url,
                variable: provider.baseURL?.variable ?? "the base URL",
                provider: provider,
                environment: environment
            )
        } catch {
            return ProbeResult(summary: "\(label) → not sent: \(error.message)", isReachable: false)
        }
        let started = ContinuousClock.now
        do {
            let (response, _) = try await send(
                HTTPRequest(method: probe.endpoint.method, url: url, headers: headers, body: body),
                provider: provider,
                rule: .read,
                deadline: ContinuousClock.now + budget,
                budgetSeconds: Int(budget.components.seconds),
                log: .silent
            )
            let milliseconds = Int((ContinuousClock.now - started).seconds * 1000)
            let ok = response.status < 500 && response.status != 401 && response.status != 403
            return ProbeResult(
                summary: "\(label) → HTTP \(response.status) in \(milliseconds) ms\(ok ? "" : " (check the key)")",
                isReachable: ok
            )
        } catch {
            return ProbeResult(summary: "\(label) → unreachable: \(error.message)", isReachable: false)
        }
    }
}
