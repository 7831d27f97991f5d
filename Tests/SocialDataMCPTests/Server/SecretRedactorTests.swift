import Foundation
import Testing
import Wire

/// Every spelling of every registered secret is masked: whole, cookie pair values, base64,
/// base64url and percent-encoded, wherever it sits in the output.
struct SecretRedactorTests {
    static let key = "dn_live_unit_secret_key_0001"
    static let cookie = "sessionid=0f1e2d3c4b5a69788796a5b4c3d2e1f0; passport_csrf_token=abcd+ef/0123=; lang=en"
    static let pieces = ["0f1e2d3c4b5a69788796a5b4c3d2e1f0", "abcd+ef/0123="]

    static func base64(_ text: String, url: Bool = false, padded: Bool = true) -> String {
        var encoded = Data(text.utf8).base64EncodedString()
        if url { encoded = encoded.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_") }
        if !padded { encoded = encoded.replacingOccurrences(of: "=", with: "") }
        return encoded
    }

    static func percent(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    /// Every form a secret must never appear in.
    static func forms(of secret: String) -> [String] {
        [
            secret, base64(secret), base64(secret, url: true), base64(secret, url: true, padded: false),
            percent(secret), percent(secret).lowercased(),
            secret.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? secret,
        ]
    }

    @Test(arguments: forms(of: key) + forms(of: cookie) + pieces.flatMap(forms(of:)))
    func aSecretInAnyFormIsMasked(_ form: String) {
        let redactor = SecretRedactor([Self.key, Self.cookie])
        let output = redactor.redact("{\"message\":\"upstream said: \(form) (echo)\"}")
        #expect(!output.contains(form), "\(form) survived: \(output)")
        #expect(output.hasPrefix("{\"message\":\"upstream said: "))
        #expect(output.hasSuffix(" (echo)\"}"))
    }

    @Test(arguments: 0..<3)
    func base64OfTheKeyInsideALongerEncodedTextIsMasked(_ offset: Int) {
        // `Authorization: Basic base64(user:key)`: the key sits at any byte alignment.
        let redactor = SecretRedactor([Self.key])
        let text = String(repeating: "u", count: offset) + ":" + Self.key + "@host"
        for encoded in [Self.base64(text), Self.base64(text, url: true)] {
            let output = redactor.redact("Basic \(encoded)")
            // Decoding what is left must not give the key back in any piece longer than a few characters.
            #expect(!output.contains(encoded), "\(output)")
            let kept = output.split(separator: "…").map(String.init)
            for part in kept { #expect(part.count < encoded.count - 20, "\(part)") }
        }
    }

    @Test func theWholeKeyKeepsItsHintAndAPieceGetsNone() {
        let redactor = SecretRedactor([Self.key, Self.cookie])
        #expect(redactor.redact("k=\(Self.key)") == "k=dn_l…01")
        #expect(redactor.redact("sid \(Self.pieces[0]).") == "sid ….")
        // The whole cookie is masked as one, not pair by pair.
        #expect(redactor.redact("[\(Self.cookie)]") == "[sess…en]")
    }

    @Test func ordinaryTextAndShortValuesAreLeftAlone() {
        let redactor = SecretRedactor(["short", "a=1; b=true; lang=en-US", Self.key])
        let text = "lang=en-US a=1 b=true nothing secret here"
        #expect(redactor.redact(text) == text)
        #expect(SecretRedactor().redact(text) == text)
    }

    @Test func aSecretRegisteredLaterIsMaskedFromThenOn() {
        let redactor = SecretRedactor([Self.key])
        let text = "cookie \(Self.pieces[1])"
        #expect(redactor.redact(text) == text)
        redactor.register(Self.cookie)
        redactor.register(Self.cookie)
        #expect(redactor.redact(text) == "cookie …")
    }

    @Test func secretsNeedingJSONEscapesAreMaskedInTheirEscapedForm() {
        let secret = "quote\"d\\secret_value"
        let redactor = SecretRedactor([secret])
        let json = JSONValue.object(["v": .string(secret)]).jsonText
        #expect(!redactor.redact(json).contains("d\\\\secret"))
    }

    /// One pass over the output whatever the number of secrets.
    ///
    /// Redacting a 50 KB result
    /// with a hundred cookies registered (over 2,000 spellings) costs a small multiple of what it costs
    /// with one key (the prefilter lets more positions through). A rescan per spelling (the old redactor) is hundreds of times slower.
    @Test func redactionCostDoesNotGrowWithTheNumberOfSecrets() {
        var text = ""
        while text.utf8.count < 50_000 {
            text += "{\"aweme_id\":\"7301234567890123456\",\"desc\":\"今天的视频 #旅行 value name=1\",\"digg\":12345},"
        }
        let bytes = Array(text.utf8)
        let few = SecretRedactor([Self.key])
        // Distinct values, as real cookies have (a pseudo-random hex digest per pair).
        let cookies = (0..<100).map { cookie in
            (0..<10).map { pair in
                let digest = String(UInt64(cookie * 10 + pair + 1) &* 0x9E37_79B9_7F4A_7C15, radix: 16)
                return "name\(pair)=\(digest)"
            }.joined(separator: "; ")
        }
        let many = SecretRedactor([Self.key] + cookies)
        #expect(many.redact(bytes) == bytes)
        func fastest(_ redactor: SecretRedactor) -> Duration {
            (0..<3).map { _ in ContinuousClock().measure { for _ in 0..<5 { _ = redactor.redact(bytes) } } / 5 }
                .min() ?? .zero
        }
        let one = fastest(few)
        let hundred = fastest(many)
        print("redaction of \(bytes.count) bytes: \(one) with one key, \(hundred) with 100 ten-pair cookies")
        #expect(hundred < one * 10 + .milliseconds(1))
    }
}
