import Catalog
import Foundation

/// When and how long to wait before sending a read again.
public struct RetryPolicy: Sendable {
    /// Statuses that mean "try again later": rate limited, bad gateway, unavailable, gateway timeout.
    public static let retryableStatuses: Set<Int> = [429, 502, 503, 504]

    /// Attempts in all, the first included.
    public var maximumAttempts = 3
    /// The first backoff; each later one doubles.
    public var baseDelay: Duration = .milliseconds(400)
    /// The longest wait the server will honour from `Retry-After`.
    public var maximumRetryAfter: Duration = .seconds(UpstreamError.longestHonouredWaitSeconds)

    /// Creates the default policy.
    public init() {}

    /// The wait after failed attempt `attempt` (1-based): the provider's `Retry-After` when
    /// given, else exponential backoff with full jitter between half and all of it.
    public func delay(afterAttempt attempt: Int, retryAfter: Duration?) -> Duration {
        if let retryAfter {
            return min(retryAfter, maximumRetryAfter) + .milliseconds(Int.random(in: 0...100))
        }
        let ceiling = baseDelay * (1 << (attempt - 1))
        return ceiling * Double.random(in: 0.5...1.0)
    }

    /// Reads `Retry-After` as seconds or as an HTTP date.
    public static func retryAfter(_ header: String?, now: Date = Date()) -> Duration? {
        guard let header = header?.trimmed, !header.isEmpty else { return nil }
        if let seconds = Int(header) { return .seconds(max(0, seconds)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: header) else { return nil }
        return .milliseconds(max(0, Int(date.timeIntervalSince(now) * 1000)))
    }
}
