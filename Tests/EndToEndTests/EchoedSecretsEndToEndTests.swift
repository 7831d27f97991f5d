import Foundation
import LoopbackStandIn
import Testing

/// A provider that echoes secrets back in pieces and encodings, in its data and in its
/// error messages: none of them reaches stdout or stderr.
@Suite("Echoed secrets end to end")
struct EchoedSecretsEndToEndTests {
    static let key = Harness.keys["DATANEXUS_API_KEY"] ?? ""
    static let cookie = "sessionid=0f1e2d3c4b5a69788796a5b4c3d2e1f0; passport_csrf_token=abcd+ef/0123=; lang=en"
    static let pair = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"

    /// Everything the stand-in echoes; none may be printed.
    static let echoes: [String] = {
        func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
        func base64url(_ text: String) -> String {
            base64(text).replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
        func percent(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
        }
        return [
            pair, "abcd+ef/0123=", base64(key), base64url(key), percent(key), base64(cookie), percent(cookie),
            base64(pair), percent("abcd+ef/0123="), base64("user:" + key),
        ]
    }()

    /// The documented answer with every echo added to its data, or an error quoting them.
    static func echoing(error: Bool) -> LoopbackServer.Handler {
        { request in
            if error {
                return .json(
                    400,
                    ["code": 4001, "message": "bad token " + echoes.joined(separator: " "), "data": NSNull()]
                )
            }
            var response = DocumentedResponses.respond(request)
            guard var body = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any],
                var data = body["data"] as? [String: Any]
            else { return response }
            data["echo"] = echoes
            body["data"] = data
            response.body = [UInt8]((try? JSONSerialization.data(withJSONObject: body)) ?? Data())
            return response
        }
    }

    @Test(arguments: [false, true])
    func noEchoedPieceOrEncodingReachesTheOutput(_ error: Bool) async throws {
        try await withHarness(
            environment: ["TIKOMNI_DOUYIN_COOKIE": Self.cookie],
            upstream: .answering(Self.echoing(error: error)),
            secrets: Self.echoes
        ) { harness in
            let result = try await harness.server.callTool("datanexus_get_author", ["platform": "douyin", "id": "1"])
            #expect(result.isToolError == error, "\(result.resultText)")
            #expect(harness.upstream.callRequests.count >= 1, "the stand-in answered")
            let shown = harness.server.stdoutLines.joined(separator: "\n")
            #expect(shown.contains(error ? "bad token" : "\"echo\""), "the echo reached the result, masked")
            for echo in Self.echoes { #expect(!shown.contains(echo), "\(echo) reached stdout") }
        }
    }
}
