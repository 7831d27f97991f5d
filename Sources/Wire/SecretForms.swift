import Foundation

/// Every spelling in which a secret can come back from a provider: the value itself, the
/// value of each of a cookie's `name=value` pairs, and the base64, base64url,
/// percent-encoded and JSON-escaped forms of each.
///
/// A provider that echoes a request (TikOmni echoes `params`), logs a header or builds a
/// signed URL can hand back any of these; masking only the whole string let a single
/// cookie pair or an encoded key reach the model.
enum SecretForms {
    /// One string to find and what to write in its place.
    struct Needle: Hashable {
        /// The bytes to find.
        let bytes: [UInt8]
        /// What is written instead.
        let replacement: [UInt8]
    }

    /// Shorter whole values are not registered: masking them would mangle ordinary text.
    static let minimumSecretBytes = 8
    /// A cookie pair's value is masked from this length on (shorter values are flags
    /// such as `1` or `true`, not credentials).
    static let minimumPieceBytes = 6
    /// Encoded forms shorter than this are left alone: too short to be told from text.
    static let minimumFormBytes = 6

    /// The needles for one registered secret.
    static func needles(for secret: String) -> [Needle] {
        guard secret.utf8.count >= minimumSecretBytes else { return [] }
        var needles: [Needle] = []
        var seen = Set<[UInt8]>()
        func add(_ bytes: [UInt8], _ replacement: [UInt8]) {
            guard bytes.count >= minimumFormBytes, seen.insert(bytes).inserted else { return }
            needles.append(Needle(bytes: bytes, replacement: replacement))
        }
        // The whole value keeps its informative mask (`dn_l…3c`); a piece is masked
        // without a hint, since 6 of a 10-character value's characters would be most of it.
        var bases = [(secret, Array(SecretRedactor.mask(secret).utf8))]
        for piece in cookieValues(secret) where piece != secret { bases.append((piece, Array("…".utf8))) }
        for (base, replacement) in bases {
            for form in forms(of: base) { add(form, replacement) }
        }
        return needles
    }

    /// The values of a cookie's `a=b; c=d` pairs that are long enough to be credentials.
    static func cookieValues(_ cookie: String) -> [String] {
        guard cookie.contains("=") else { return [] }
        return cookie.split(separator: ";").compactMap { pair in
            guard let equals = pair.firstIndex(of: "=") else { return nil }
            var value = pair[pair.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            return value.utf8.count >= minimumPieceBytes ? value : nil
        }
    }

    /// The spellings of one value.
    static func forms(of value: String) -> [[UInt8]] {
        let raw = Array(value.utf8)
        var forms = [raw]
        var escaped: [UInt8] = []
        JSONValue.writeString(value, to: &escaped)
        forms.append(Array(escaped.dropFirst().dropLast()))
        forms.append(contentsOf: percentEncodings(raw))
        for core in base64Cores(raw) {
            forms.append(core)
            forms.append(
                core.map {
                    $0 == UInt8(ascii: "+") ? UInt8(ascii: "-") : $0 == UInt8(ascii: "/") ? UInt8(ascii: "_") : $0
                }
            )
        }
        return forms
    }

    /// Percent-encoded spellings: every byte but the unreserved ones escaped (upper- and
    /// lower-case hex, and `+` for space as forms do), every byte but letters and digits
    /// escaped (encoders that over-escape), and the query-component spelling
    /// URLComponents writes (which leaves `=`, `;`, `/` and `+` as they are).
    static func percentEncodings(_ raw: [UInt8]) -> [[UInt8]] {
        func encode(_ keep: (UInt8) -> Bool, hex: [UInt8], space: [UInt8]?) -> [UInt8] {
            var output: [UInt8] = []
            output.reserveCapacity(raw.count * 3)
            for byte in raw {
                if keep(byte) {
                    output.append(byte)
                } else if byte == 0x20, let space {
                    output.append(contentsOf: space)
                } else {
                    output.append(UInt8(ascii: "%"))
                    output.append(hex[Int(byte >> 4)])
                    output.append(hex[Int(byte & 0x0F)])
                }
            }
            return output
        }
        let upper = Array("0123456789ABCDEF".utf8)
        let lower = Array("0123456789abcdef".utf8)
        let queryAllowed = Array("!$&'()*+,;=:@/?".utf8)
        let alphanumeric: (UInt8) -> Bool = { isUnreserved($0) && !"-._~".utf8.contains($0) }
        return [
            encode(isUnreserved, hex: upper, space: nil),
            encode(isUnreserved, hex: lower, space: nil),
            encode(alphanumeric, hex: upper, space: nil),
            encode(alphanumeric, hex: lower, space: nil),
            encode(isUnreserved, hex: upper, space: [UInt8(ascii: "+")]),
            encode({ isUnreserved($0) || queryAllowed.contains($0) }, hex: upper, space: nil),
        ]
    }

    /// RFC 3986's unreserved characters, never percent-encoded.
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// The base64 characters that depend on the value alone, at each of the three byte
    /// alignments it can have inside a longer encoded text (an `Authorization: Basic`
    /// header, an encoded JSON document): the value is found wherever it sits, not only
    /// when it was encoded on its own.
    static func base64Cores(_ raw: [UInt8]) -> [[UInt8]] {
        (0..<3).map { offset in
            let padded = [UInt8](repeating: 0, count: offset) + raw
            let encoded = Array(Data(padded).base64EncodedString().utf8)
            // Characters touching the filler bytes, and the last one, which also takes
            // bits of whatever follows, are not the value's own.
            let skipped = (offset * 8 + 5) / 6
            let whole = padded.count * 8 / 6
            return skipped < whole ? Array(encoded[skipped..<whole]) : []
        }
    }
}
