/// HMAC-SHA256 (RFC 2104) over the project's own SHA-256: signs what the server hands a
/// client to bring back (confirmation tokens, `requestState`), so a changed one is refused.
public enum HMAC {
    /// The 32-byte tag of `message` under `key`.
    public static func sha256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        let blockSize = 64
        var block = key.count > blockSize ? SHA256.hash(key) : key
        block += [UInt8](repeating: 0, count: blockSize - block.count)
        var inner = SHA256()
        inner.update(block.map { $0 ^ 0x36 })
        inner.update(message)
        var outer = SHA256()
        outer.update(block.map { $0 ^ 0x5c })
        outer.update(inner.finalize())
        return outer.finalize()
    }

    /// `bytes` as lowercase hex (not hashed, unlike `SHA256.hex(of:)`).
    public static func hex<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        bytes.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }
}
