import Catalog

/// Which failures a call may be sent again after, decided by what a second request could
/// cost: the user must never pay twice for one call.
///
/// A provider charges when it does the work, and some failures prove it did not: no
/// connection was made, a 429 (refused before any work), a 503 (unavailable). A 502 or
/// 504 comes from a gateway that may have passed the request on; a connection that broke
/// after sending, or a timeout, may have left the work done. Those are retried only for
/// free reads.
public enum RetryRule: Sendable, Equatable, CaseIterable {
    /// A free read: retried on 429, 502, 503, 504 and broken connections.
    case read
    /// A paid read: retried only when the provider certainly did no work.
    case paidRead
    /// Creates paid work (an image, a collection task): retried only when no connection
    /// was made.
    case createsWork

    /// The rule for a row, from its effect and its price: the one place it is decided.
    public init(effect: Effect, price: Price) {
        switch effect {
        case .read, .local: self = price.isPaid ? .paidRead : .read
        case .createsPaidWork, .passthrough: self = .createsWork
        }
    }

    /// Whether a response with `status` may be followed by another attempt.
    public func retries(status: Int) -> Bool {
        switch self {
        case .read: return [429, 502, 503, 504].contains(status)
        case .paidRead: return [429, 503].contains(status)
        case .createsWork: return false
        }
    }

    /// Whether a request that failed with `error` may be sent again.
    public func retries(_ error: TransportError) -> Bool {
        switch error {
        case .cannotConnect: return true
        case .connectionLost, .failed: return self == .read
        // An answer past the cap would be as large again.
        case .timedOut, .cancelled, .responseTooLarge: return false
        }
    }

    /// Whether the provider may have done, and charged for, the work of a call that
    /// ended with `status` without the retries this rule allows.
    public func mayHaveCharged(status: Int) -> Bool {
        self != .read && [502, 504].contains(status)
    }

    /// Whether the provider may have done, and charged for, the work of a request that
    /// failed with `error`.
    public func mayHaveCharged(_ error: TransportError) -> Bool {
        switch error {
        case .cannotConnect: return false
        case .connectionLost, .failed, .timedOut, .cancelled, .responseTooLarge: return self != .read
        }
    }
}

extension UpstreamError.PossibleCharge {
    /// The possible charge of a call under `rule` (nothing for free reads).
    public init?(_ rule: RetryRule) {
        switch rule {
        case .read: return nil
        case .paidRead: self = .read
        case .createsWork: self = .createdWork
        }
    }
}
