import Foundation

/// Answers a provider would never give, but whoever answers in its place might: the
/// attacks the server must survive without leaking a key, its memory or its voice.
public enum HostileResponses {
    /// A redirect with `code` to `location` (another host or port).
    public static func redirect(_ code: Int, to location: String) -> StubResponse {
        StubResponse(
            status: code,
            headers: ["Location": location, "Content-Type": "application/json"],
            body: Array(#"{"moved": true}"#.utf8)
        )
    }

    /// A 200 whose gzip body is `compressedBytes` long and expands about 159 times.
    public static func gzipBomb(compressedBytes: Int = 1 << 20) -> StubResponse {
        let body = GzipBomb.make(compressedBytes: compressedBytes)
        let head =
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
            + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        return StubResponse(status: 200, action: .rawBytes(Array(head.utf8) + body))
    }

    /// A 200 with a chunked body that does not end until the client hangs up, or
    /// `limitBytes` have been sent (so a test against a server without a cap still ends).
    public static func endlessBody(limitBytes: Int = 8 << 30) -> StubResponse {
        StubResponse(
            status: 200,
            action: .stream { write in
                let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                guard write(Array(head.utf8)) else { return }
                let piece = [UInt8](repeating: UInt8(ascii: " "), count: 1 << 16)
                let chunk = Array("10000\r\n".utf8) + piece + Array("\r\n".utf8)
                guard write(Array("1\r\n[\r\n".utf8)) else { return }
                var sent = 0
                while sent < limitBytes, write(chunk) { sent += piece.count }
            }
        )
    }

    /// A 429 with `Retry-After: retryAfter` (seconds as text, however absurd).
    public static func rateLimited(retryAfter: String) -> StubResponse {
        .json(429, ["success": false, "error": "too many requests"], headers: ["Retry-After": retryAfter])
    }

    /// An error whose message is `text` (newlines and all), in the envelope every
    /// provider's error mapping reads (`error`, `message`, `msg`).
    public static func injectedText(_ text: String, status: Int = 400) -> StubResponse {
        .json(status, ["success": false, "error": text, "message": text, "msg": text, "code": status])
    }
}
