import Foundation
import Locking

/// The last line of defence for "never print a key, token or cookie".
///
/// Every byte the server writes to stdout or stderr, and every saved result and download,
/// passes through `redact`, which replaces any known secret with its mask — in every
/// spelling `SecretForms` knows (cookie pair values, base64, base64url, percent-encoded).
/// Secrets come from the environment at start-up and from secret arguments (a cookie
/// passed in a call) as they arrive. The spellings are derived once per secret and
/// compiled into one `SecretMatcher`, so redaction is a single pass over the output.
public final class SecretRedactor: Sendable {
    private struct State {
        var registered: Set<String> = []
        var needles: [SecretForms.Needle] = []
        var matcher = SecretMatcher([])
    }

    private let state = Locked(State())

    /// Creates a redactor that knows these secrets.
    public init(_ initial: [String] = []) {
        for secret in initial { register(secret) }
    }

    /// Adds a secret; short values are ignored since masking them would mangle ordinary text.
    public func register(_ secret: String) {
        guard secret.utf8.count >= SecretForms.minimumSecretBytes else { return }
        // A cookie passed with every call is registered every call: only the first compiles.
        guard state.withLock({ !$0.registered.contains(secret) }) else { return }
        let needles = SecretForms.needles(for: secret)
        state.withLock { state in
            guard state.registered.insert(secret).inserted else { return }
            let known = Set(state.needles.map(\.bytes))
            state.needles.append(contentsOf: needles.filter { !known.contains($0.bytes) })
            state.matcher = SecretMatcher(state.needles)
        }
    }

    /// `bytes` with every known secret, in every spelling, replaced by its mask.
    public func redact(_ bytes: [UInt8]) -> [UInt8] {
        let matcher = state.withLock { $0.matcher }
        return matcher.replace(in: bytes) ?? bytes
    }

    /// `text` with every known secret replaced by its mask.
    public func redact(_ text: String) -> String {
        String(decoding: redact(Array(text.utf8)), as: UTF8.self)
    }

    /// A secret as it may be shown: `dn_l…3c`.
    public static func mask(_ secret: String) -> String {
        guard secret.count >= 10 else { return "…" }
        return String(secret.prefix(4)) + "…" + String(secret.suffix(2))
    }
}
