import Catalog
import Foundation
import Locking
import Spend
import Wire

/// The confirmation tokens of this process: proof that a call above the ask-first
/// threshold was quoted, bound to what was quoted.
///
/// A token is `expiry-units-nonce-tag`: the tag is an HMAC, under a secret drawn once per
/// process, of the tool, the arguments that reach the provider, the worst case quoted (its
/// `units`, also in clear), the expiry and the nonce. So a token is refused after its 10
/// minutes, for other arguments (a larger page), in another process, a second time, or
/// when the worst case grew past the one quoted (a provider-priced tool's reserve after a
/// larger charge); a worst case that shrank is still covered. The same tokens serve as the
/// 2026-07-28 `requestState`.
final class ConfirmationTokens: Sendable {
    /// How long a token is good for.
    static let lifetime: TimeInterval = 600

    /// What a token is bound to.
    struct Binding: Sendable {
        let tool: String
        let arguments: [String: JSONValue]
        let currency: Money.Currency
        /// The worst case in units; `Int64.max` for one nothing bounds.
        let units: Int64

        /// A call's binding: the arguments the provider would get (the server's own
        /// controls, `confirm_token` among them, left out) and its worst case.
        init(_ call: PendingCall, worstCase: SpendGuard.WorstCase) {
            tool = call.tool.name
            arguments = call.arguments.filter { name, _ in call.tool.parameter(named: name)?.location != .local }
            currency = worstCase.currency
            units = worstCase.amount?.units ?? Int64.max
        }

        /// The bytes signed for a worst case of `units`.
        func bytes(units: Int64) -> [UInt8] {
            let text = [tool, JSONValue.object(arguments).jsonText, String(units), currency.rawValue]
                .joined(separator: "\u{0}")
            return Array(text.utf8)
        }
    }

    /// Why a token was not accepted.
    enum Refusal: Sendable, Equatable {
        /// Not a token of this server's form.
        case malformed
        /// Signed for other arguments, another tool, or another process.
        case mismatched
        /// The worst case grew past the one quoted.
        case priceRose
        /// Past its 10 minutes.
        case expired
        /// Already used once.
        case used

        /// The reason, for the model.
        var reason: String {
            switch self {
            case .malformed: return "that confirm_token is not one this server issued"
            case .mismatched:
                return "that confirm_token was for other arguments (or another server process)"
            case .priceRose: return "the worst case rose above the one that confirm_token approved"
            case .expired: return "that confirm_token has expired (tokens last 10 minutes)"
            case .used: return "that confirm_token was already used (each is good once)"
            }
        }
    }

    private let secret: [UInt8]
    private let clock: any ServerClock
    /// Nonces already redeemed, with their expiry, so each token works once.
    private let redeemed = Locked<[String: TimeInterval]>([:])

    /// Creates the tokens of one process; `secret` is random unless a test fixes it.
    init(clock: any ServerClock, secret: [UInt8]? = nil) {
        self.clock = clock
        var generator = SystemRandomNumberGenerator()
        self.secret = secret ?? (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// A new token for `binding`, good for 10 minutes from now.
    func issue(_ binding: Binding) -> String {
        var generator = SystemRandomNumberGenerator()
        let nonce = HMAC.hex((0..<8).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let expiry = Int(clock.currentDate().timeIntervalSince1970 + ConfirmationTokens.lifetime)
        let units = binding.units
        return "\(expiry)-\(units)-\(nonce)-\(tag(binding, units: units, expiry: expiry, nonce: nonce))"
    }

    /// Accepts `token` for `binding` once, or says why not.
    ///
    /// It must be signed for the binding's tool and arguments; the worst case it approved
    /// must be at least the binding's.
    func redeem(_ token: String, for binding: Binding) -> Refusal? {
        let parts = token.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, let expiry = Int(parts[0]), let units = Int64(parts[1]), parts[2].count == 16 else {
            return .malformed
        }
        guard tag(binding, units: units, expiry: expiry, nonce: parts[2]) == parts[3] else { return .mismatched }
        guard binding.units <= units else { return .priceRose }
        let now = clock.currentDate().timeIntervalSince1970
        guard now <= TimeInterval(expiry) else { return .expired }
        return redeemed.withLock { redeemed in
            guard redeemed[parts[2]] == nil else { return .used }
            // Expired nonces can never pass the expiry check again: forgetting them bounds the table.
            redeemed = redeemed.filter { $0.value >= now }
            redeemed[parts[2]] = TimeInterval(expiry)
            return nil
        }
    }

    private func tag(_ binding: Binding, units: Int64, expiry: Int, nonce: String) -> String {
        let message = binding.bytes(units: units) + Array("\u{0}\(expiry)\u{0}\(nonce)".utf8)
        return HMAC.hex(HMAC.sha256(key: secret, message: message).prefix(16))
    }
}
