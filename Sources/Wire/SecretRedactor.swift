import Foundation
import Locking

/// The last line of defence for "never print a key, token or cookie".
///
/// Every byte the server writes to stdout or stderr passes through `redact`, which
/// replaces any known secret with its mask. Secrets come from the environment at start-up and from secret
/// arguments (a cookie passed in a call) as they arrive.
public final class SecretRedactor: Sendable {
    private let secrets = Locked<[[UInt8]]>([])

    /// Creates a redactor that knows these secrets.
    public init(_ initial: [String] = []) {
        for secret in initial { register(secret) }
    }

    /// Adds a secret; short values are ignored since masking them would mangle ordinary text.
    public func register(_ secret: String) {
        guard secret.utf8.count >= 8 else { return }
        var forms = [Array(secret.utf8)]
        // The JSON-escaped spelling, for secrets containing quotes or backslashes.
        var escaped: [UInt8] = []
        JSONValue.writeString(secret, to: &escaped)
        let inner = Array(escaped.dropFirst().dropLast())
        if inner != forms[0] { forms.append(inner) }
        secrets.withLock { known in
            for form in forms where !known.contains(form) { known.append(form) }
        }
    }

    /// `bytes` with every known secret replaced by its mask.
    public func redact(_ bytes: [UInt8]) -> [UInt8] {
        let known = secrets.withLock { $0 }
        var output = bytes
        for secret in known {
            output = SecretRedactor.replace(
                secret,
                with: Array(SecretRedactor.mask(String(decoding: secret, as: UTF8.self)).utf8),
                in: output
            )
        }
        return output
    }

    /// A secret as it may be shown: `dn_l…3c`.
    public static func mask(_ secret: String) -> String {
        guard secret.count >= 10 else { return "…" }
        return String(secret.prefix(4)) + "…" + String(secret.suffix(2))
    }

    private static func replace(_ needle: [UInt8], with replacement: [UInt8], in haystack: [UInt8]) -> [UInt8] {
        guard let first = needle.first, haystack.count >= needle.count else { return haystack }
        var output: [UInt8] = []
        var copiedUpTo = 0
        var found = false
        haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in
                guard let hayBase = hay.baseAddress, let pinBase = pin.baseAddress else { return }
                var position = 0
                let last = hay.count - pin.count
                while position <= last {
                    guard let hit = memchr(hayBase + position, Int32(first), last - position + 1) else { break }
                    let offset = hayBase.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(hayBase + offset, pinBase, pin.count) == 0 {
                        if !found {
                            output.reserveCapacity(hay.count)
                            found = true
                        }
                        output.append(contentsOf: hay[copiedUpTo..<offset])
                        output.append(contentsOf: replacement)
                        copiedUpTo = offset + pin.count
                        position = copiedUpTo
                    } else {
                        position = offset + 1
                    }
                }
            }
        }
        guard found else { return haystack }
        output.append(contentsOf: haystack[copiedUpTo...])
        return output
    }
}
