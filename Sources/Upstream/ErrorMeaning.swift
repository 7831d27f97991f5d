import Catalog

/// What one of a provider's documented error codes means, and what the user should do.
///
/// Each provider declares its codes as data (`[code: ErrorMeaning]`, keyed by the
/// provider's machine-readable code or by an HTTP status such as "402"), and
/// `Envelope.failure` reads them for every provider, so no provider writes its own switch.
public struct ErrorMeaning: Sendable {
    /// The kind the code means, when it says more than the HTTP status (a 200 with
    /// `INSUFFICIENT_BALANCE`); `nil` keeps the kind the status gives.
    public let kind: UpstreamError.Kind?
    /// What the user should do, replacing the kind's generic advice.
    public let advice: String

    /// A code that means `kind`, whatever the HTTP status said.
    public init(_ kind: UpstreamError.Kind, _ advice: String) {
        self.kind = kind
        self.advice = advice
    }

    /// Advice for a code whose HTTP status already gives the kind.
    public init(_ advice: String) {
        self.kind = nil
        self.advice = advice
    }
}
