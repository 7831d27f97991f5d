import Catalog
import Foundation
import Wire

/// Sends requests to providers: pacing, time budget, retries.
///
/// Whether a failed attempt is sent again is the call's `RetryRule`: free reads are
/// retried on 429/502/503/504 and broken connections (honouring `Retry-After`); paid reads
/// only when the provider certainly did no work (no connection, 429, 503); requests that
/// create paid work only when no connection could be made. So the user never pays twice.
public final class UpstreamClient: Sendable {
    private let transport: any HTTPTransport
    private let policy: RetryPolicy
    private let clock: any ServerClock
    private let pacers: [String: RequestPacer]
    private let limits: [String: ConcurrencyLimit]

    /// Requests in flight per provider; matches URLSession's connections per host.
    public static let concurrentRequestsPerProvider = 8

    /// Why an attempt got no response.
    private enum AttemptFailure: Error {
        /// The request was never sent: its turn came after the deadline, or the call was
        /// cancelled while it waited.
        case notSent(TransportError)
        /// The transport failed; the request may have reached the provider.
        case transport(TransportError)
        /// The provider's `Retry-After` holds its requests for this long yet, past the
        /// call's deadline: nothing was sent.
        case held(Duration)
    }

    /// Creates a client over `transport`, with a pacer for each provider that needs one;
    /// `clock` times the deadlines, the backoff and the pacing.
    public init(
        transport: any HTTPTransport,
        providers: [Provider],
        policy: RetryPolicy = RetryPolicy(),
        clock: any ServerClock = SystemClock()
    ) {
        self.transport = transport
        self.policy = policy
        self.clock = clock
        var pacers: [String: RequestPacer] = [:]
        for provider in providers {
            if let spacing = provider.requestSpacing {
                pacers[provider.id] = RequestPacer(spacing: spacing, clock: clock)
            }
        }
        self.pacers = pacers
        limits = Dictionary(
            uniqueKeysWithValues: providers.map {
                ($0.id, ConcurrencyLimit(UpstreamClient.concurrentRequestsPerProvider))
            }
        )
    }

    /// Sends `request` until it gets a final response, `rule` allows no more attempts or
    /// the deadline passes.
    ///
    /// Error statuses are returned, not thrown: the provider's envelope says more about
    /// them than the status does.
    public func send(
        _ request: HTTPRequest,
        provider: Provider,
        rule: RetryRule,
        deadline: ContinuousClock.Instant,
        budgetSeconds: Int,
        log: CallLog,
        gate: SendGate? = nil
    ) async throws(UpstreamError) -> (response: HTTPResponse, attempts: Int) {
        let pacer = pacers[provider.id]
        var attempt = 0
        while true {
            attempt += 1
            let response: HTTPResponse
            do throws(AttemptFailure) {
                response = try await send(request, provider: provider, pacer: pacer, deadline: deadline, gate: gate)
            } catch {
                switch error {
                case .notSent(let reason):
                    throw failure(reason, provider: provider, budgetSeconds: budgetSeconds, attempts: attempt)
                case .held(let remaining):
                    let seconds = max(1, Int(remaining.seconds.rounded(.up)))
                    var failure = UpstreamError(
                        .rateLimited(retryAfterSeconds: seconds),
                        provider: provider.name,
                        advice: "\(provider.name) asked for a pause (Retry-After) that has \(seconds) s to run, "
                            + "longer than this call's time budget: nothing was sent. Call again after it."
                    )
                    failure.attempts = attempt
                    throw failure
                case .transport(let reason):
                    let delay = policy.delay(afterAttempt: attempt, retryAfter: nil)
                    if rule.retries(reason), attempt < policy.maximumAttempts, clock.now + delay < deadline {
                        let description = failure(reason, provider: provider, budgetSeconds: budgetSeconds, attempts: 1)
                        log(
                            .info,
                            "\(provider.name): \(description.kindDescription); retrying in \(Self.describe(delay))"
                        )
                        try await pause(delay, provider: provider)
                        continue
                    }
                    var failure = failure(reason, provider: provider, budgetSeconds: budgetSeconds, attempts: attempt)
                    if rule.mayHaveCharged(reason) { failure.possibleCharge = UpstreamError.PossibleCharge(rule) }
                    throw failure
                }
            }
            if (300..<400).contains(response.status) {
                throw redirect(response, of: request, provider: provider, attempts: attempt)
            }
            let retryAfter = RetryPolicy.retryAfter(response.headers["retry-after"], now: clock.currentDate())
            // Held no longer than the cap, however long the provider asks for: one
            // absurd `Retry-After` must not stop every later call of the process.
            if let retryAfter, [429, 503].contains(response.status) {
                pacer?.hold(until: clock.now + min(retryAfter, policy.maximumRetryAfter))
            }
            guard rule.retries(status: response.status), attempt < policy.maximumAttempts else {
                return (response, attempt)
            }
            let delay = policy.delay(afterAttempt: attempt, retryAfter: retryAfter)
            guard clock.now + delay < deadline else { return (response, attempt) }
            log(
                .info,
                "\(provider.name) answered HTTP \(response.status); retrying in \(Self.describe(delay)) (attempt \(attempt + 1) of \(policy.maximumAttempts))"
            )
            try await pause(delay, provider: provider)
        }
    }

    /// One attempt: the provider's turn, a permit, then the transport.
    private func send(
        _ request: HTTPRequest,
        provider: Provider,
        pacer: RequestPacer?,
        deadline: ContinuousClock.Instant,
        gate: SendGate?
    ) async throws(AttemptFailure) -> HTTPResponse {
        if let pacer {
            let acquired: Bool
            do { acquired = try await pacer.acquire(before: deadline) } catch { throw .notSent(.cancelled) }
            guard acquired else {
                if let heldUntil = pacer.heldUntil, heldUntil > clock.now {
                    throw .held(clock.now.duration(to: heldUntil))
                }
                throw .notSent(.timedOut)
            }
        }
        defer { pacer?.finish() }
        let limit = limits[provider.id]
        if let limit {
            do { try await limit.acquire() } catch { throw .notSent(.cancelled) }
        }
        defer { limit?.release() }
        let remaining = clock.now.duration(to: deadline)
        guard remaining > .zero else { throw .notSent(.timedOut) }
        // The last moment the call can still be stopped for free.
        if let gate, !gate.markSent() { throw .notSent(.cancelled) }
        defer { gate?.markReturned() }
        do {
            return try await transport.send(request, timeout: remaining)
        } catch {
            throw .transport(error)
        }
    }

    private func pause(_ delay: Duration, provider: Provider) async throws(UpstreamError) {
        do {
            try await clock.sleep(for: delay)
        } catch {
            throw UpstreamError(.cancelled, provider: provider.name)
        }
    }

    private func failure(
        _ error: TransportError,
        provider: Provider,
        budgetSeconds: Int,
        attempts: Int
    ) -> UpstreamError {
        var failure: UpstreamError
        switch error {
        case .timedOut: failure = UpstreamError(.timedOut(seconds: budgetSeconds), provider: provider.name)
        case .cancelled: failure = UpstreamError(.cancelled, provider: provider.name)
        case .cannotConnect(let reason):
            // Nothing reached the provider: the network, or where the base URL points.
            let variable = provider.baseURL?.variable
            failure = UpstreamError(
                .connectionFailed(reason + ": check the network" + (variable.map { " or \($0)" } ?? "")),
                provider: provider.name
            )
        case .connectionLost(let reason), .failed(let reason):
            failure = UpstreamError(.connectionFailed(reason), provider: provider.name)
        case .responseTooLarge(let limit):
            failure = UpstreamError(.responseTooLarge(limitBytes: limit), provider: provider.name)
        }
        failure.attempts = attempts
        return failure
    }

    /// A 3xx, never followed, as an error naming the status and where `Location` points.
    ///
    /// Not a possible charge: a redirect is not the provider doing the work.
    private func redirect(
        _ response: HTTPResponse,
        of request: HTTPRequest,
        provider: Provider,
        attempts: Int
    ) -> UpstreamError {
        let location = response.headers["location"].map { text -> String in
            guard let url = URL(string: text, relativeTo: request.url), let host = url.host else { return text }
            return url.port.map { "\(host):\($0)" } ?? host
        }
        var error = UpstreamError(.redirected(location: location), provider: provider.name, status: response.status)
        error.attempts = attempts
        return error
    }

    private static func describe(_ duration: Duration) -> String {
        let milliseconds = Int(duration.seconds * 1000)
        return milliseconds >= 1000 ? "\(Double(milliseconds / 100) / 10) s" : "\(milliseconds) ms"
    }
}

extension UpstreamError {
    /// A few words on the failure, for log lines: the message's own words, never the
    /// enum's printed form (`missingConfiguration(variable: …)`).
    package var kindDescription: String { headline }
}
