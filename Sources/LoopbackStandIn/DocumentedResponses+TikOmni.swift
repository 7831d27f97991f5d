import Foundation
import SeedFixtures

extension DocumentedResponses {
    /// A cookie the stand-in treats as expired (Douyin answers status_code 8).
    public static let expiredCookie = "sessionid=expired-session-cookie-value"

    /// The five dimensions of the seed's author-diagnosis example (its `data`).
    public static var tikOmniDiagnosisExample: [String: Any] {
        let text = SeedFixtures.text("tikomni/fetch_author_diagnosis.response.json") ?? "{}"
        let reply = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
        return reply?["data"] as? [String: Any] ?? [:]
    }

    /// TikOmni's envelope (Fixtures/tikomni/envelope.response.json) around Douyin's reply,
    /// which goes in byte for byte as `data`.
    static func tikOmniEnvelope(router: String, params: Any, reply: String) -> StubResponse {
        let text = SeedFixtures.text("tikomni/envelope.response.json") ?? "{}"
        var envelope = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        envelope["router"] = router
        envelope["params"] = params
        envelope.removeValue(forKey: "data")
        let head = (try? JSONSerialization.data(withJSONObject: envelope, options: [.withoutEscapingSlashes])) ?? Data()
        let body = Array(head.dropLast()) + Array(",\"data\":\(reply)}".utf8)
        return StubResponse(status: 200, headers: ["Content-Type": "application/json; charset=utf-8"], body: body)
    }

    static func tikOmni(_ request: RecordedRequest, _ path: String) -> StubResponse {
        let requestID = "req-\(abs(path.hashValue) % 1_000_000)"
        func envelope(
            _ status: Int,
            code: Int,
            message: String,
            messageZH: String,
            data: Any,
            params: Any
        ) -> StubResponse {
            .json(
                status,
                [
                    "code": code, "request_id": requestID, "message": message, "message_zh": messageZH,
                    "support": "Discord: https://discord.gg/aMEAS8Xsvz", "time": "2026-11-22 10:00:00",
                    "time_zone": "America/Los_Angeles",
                    "router": path, "params": params, "data": data,
                ]
            )
        }
        guard let authorization = request.headers["authorization"], authorization.hasPrefix("Bearer "),
            authorization.count > 7
        else {
            return envelope(
                401,
                code: 401,
                message: "Unauthorized",
                messageZH: "未授权,请提供有效的 API Token",
                data: NSNull(),
                params: [:]
            )
        }
        let body = request.bodyObject ?? [:]
        let query = request.query
        if path.hasPrefix("/api/u1/v1/douyin/creator_v2/") {
            guard request.method == "POST" else {
                return envelope(
                    405,
                    code: 405,
                    message: "Method Not Allowed",
                    messageZH: "方法不允许",
                    data: NSNull(),
                    params: body
                )
            }
            guard let cookie = body["cookie"] as? String, !cookie.isEmpty else {
                return envelope(
                    422,
                    code: 422,
                    message: "cookie is required",
                    messageZH: "缺少 cookie 参数",
                    data: NSNull(),
                    params: body
                )
            }
            if cookie == expiredCookie {
                return envelope(
                    200,
                    code: 200,
                    message: "Request successful.",
                    messageZH: "请求成功",
                    data: ["status_code": 8, "status_msg": "用户未登录"],
                    params: body
                )
            }
            if path.hasSuffix("/fetch_item_list_download") {
                // The route answers with the Excel file itself.
                return StubResponse(
                    status: 200,
                    headers: ["Content-Type": "application/vnd.ms-excel"],
                    body: [0x50, 0x4B, 0x03, 0x04] + Array("xlsx".utf8)
                )
            }
            guard let entry = SeedFixtures.response(provider: "tikomni", method: "POST", path: path),
                let reply = SeedFixtures.text(entry.file)
            else {
                return envelope(404, code: 404, message: "Not Found", messageZH: "接口不存在", data: NSNull(), params: body)
            }
            return tikOmniEnvelope(router: path, params: body, reply: reply)
        }
        if path.hasPrefix("/api/u1/v1/") || path.hasPrefix("/api/u2/v1/") {
            return envelope(
                200,
                code: 200,
                message: "Request successful.",
                messageZH: "请求成功",
                data: ["echo": ["method": request.method, "path": path, "query": query, "body": body]],
                params: query
            )
        }
        return envelope(404, code: 404, message: "Not Found", messageZH: "接口不存在", data: NSNull(), params: [:])
    }
}
