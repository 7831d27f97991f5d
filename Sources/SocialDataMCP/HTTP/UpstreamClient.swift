/// Sends requests to providers: pacing, time budget, retries.
///
/// Retries are for reads only (429/502/503/504 and broken connections, honouring
/// `Retry-After`). A request that creates paid work is sent again only when it provably
/// never left this machine (no connection could be made), so the user never pays twice.
public final class UpstreamClient: Sendable {
    private let transport: any HTTPTransport
    private let policy: RetryPolicy
    private let pacers: [String: RequestPacer]
    private let limits: [String: ConcurrencyLimit]

    /// Requests in flight per provider; matches URLSession's connections per host.
    public static let concurrentRequestsPerProvider = 8

    /// Creates a client over `transport`, with a pacer for each provider that needs one.
    public init(transport: any HTTPTransport, providers: [Provider], policy: RetryPolicy = RetryPolicy()) {
        self.transport = transport
        self.policy = policy
        var pacers: [String: RequestPacer] = [:]
        for provider in providers {
            if let spacing = provider.requestSpacing { pacers[provider.id] = RequestPacer(spacing: spacing) }
        }
        self.pacers = pacers
        limits = Dictionary(
            uniqueKeysWithValues: providers.map {
                ($0.id, ConcurrencyLimit(UpstreamClient.concurrentRequestsPerProvider))
            }
        )
    }

    /// Sends `request` until it gets a final response, the retries run out or the deadline passes.
    ///
    /// Error statuses are returned, not thrown: the provider's envelope says more about
    /// them than the status does.
    public func send(
        _ request: HTTPRequest,
        provider: Provider,
        retryable: Bool,
        deadline: ContinuousClock.Instant,
        budgetSeconds: Int,
        log: CallLog
    ) async throws(UpstreamError) -> (response: HTTPResponse, attempts: Int) {
        let pacer = pacers[provider.id]
        var attempt = 0
        while true {
            attempt += 1
            var failure: UpstreamError
            do {
                if let pacer, try await !pacer.acquire(before: deadline) {
                    throw TransportError.timedOut
                }
                let remaining = ContinuousClock.now.duration(to: deadline)
                let response: HTTPResponse
                do {
                    defer { pacer?.finish() }
                    guard remaining > .zero else { throw TransportError.timedOut }
                    let transport = self.transport
                    if let limit = limits[provider.id] {
                        response = try await limit.withPermit { try await transport.send(request, timeout: remaining) }
                    } else {
                        response = try await transport.send(request, timeout: remaining)
                    }
                }
                guard RetryPolicy.retryableStatuses.contains(response.status), retryable,
                    attempt < policy.maximumAttempts
                else { return (response, attempt) }
                let retryAfter = RetryPolicy.retryAfter(response.headers["retry-after"])
                let delay = policy.delay(afterAttempt: attempt, retryAfter: retryAfter)
                if let retryAfter { pacer?.hold(until: .now + retryAfter) }
                guard ContinuousClock.now + delay < deadline else { return (response, attempt) }
                log(
                    .info,
                    "\(provider.name) answered HTTP \(response.status); retrying in \(Self.describe(delay)) (attempt \(attempt + 1) of \(policy.maximumAttempts))"
                )
                try await Task.sleep(for: delay)
                continue
            } catch let error as TransportError {
                failure = map(error, provider: provider, budgetSeconds: budgetSeconds)
                // A refused connection never reached the provider, so even a paid request
                // may go again; a broken one may have, so only reads do.
                let neverSent = if case .cannotConnect = error { true } else { false }
                let timedOut = error == .timedOut
                let delay = policy.delay(afterAttempt: attempt, retryAfter: nil)
                if !timedOut, retryable || neverSent, attempt < policy.maximumAttempts,
                    ContinuousClock.now + delay < deadline
                {
                    log(.info, "\(provider.name): \(failure.kindDescription); retrying in \(Self.describe(delay))")
                    do { try await Task.sleep(for: delay) } catch { throw cancelled(provider) }
                    continue
                }
            } catch {
                throw cancelled(provider)
            }
            failure.attempts = attempt
            throw failure
        }
    }

    private func map(_ error: TransportError, provider: Provider, budgetSeconds: Int) -> UpstreamError {
        switch error {
        case .timedOut: return UpstreamError(.timedOut(seconds: budgetSeconds), provider: provider.name)
        case .cannotConnect(let reason), .connectionLost(let reason), .failed(let reason):
            return UpstreamError(.connectionFailed(reason), provider: provider.name)
        }
    }

    private func cancelled(_ provider: Provider) -> UpstreamError {
        UpstreamError(.cancelled, provider: provider.name)
    }

    private static func describe(_ duration: Duration) -> String {
        let milliseconds = Int(duration.seconds * 1000)
        return milliseconds >= 1000 ? "\(Double(milliseconds / 100) / 10) s" : "\(milliseconds) ms"
    }
}

extension UpstreamError {
    /// A few words on the failure, for log lines.
    var kindDescription: String {
        if case .connectionFailed(let reason) = kind { return "connection failed (\(reason))" }
        return "\(kind)"
    }
}
