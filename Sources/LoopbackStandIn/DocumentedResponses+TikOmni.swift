import Foundation

extension DocumentedResponses {
    /// A cookie the stand-in treats as expired (Douyin answers status_code 8).
    public static let expiredCookie = "sessionid=expired-session-cookie-value"

    /// The documented author-diagnosis example.
    public static var tikOmniDiagnosisExample: [String: Any] {
        [
            "Interact": [
                "OwnValue": 0.0052, "SimilarCount": 1_494_654_282, "AuthorRank": 0.2633, "SimilarRank": 0.5169,
                "SimilarValue": 0.0909,
            ],
            "NewFans": ["OwnValue": 2, "AuthorRank": 0.7924, "SimilarRank": 0.6343],
            "PlayCnt": ["OwnValue": 192, "AuthorRank": 0.8427, "SimilarRank": 0.5132],
            "PlayFinishRatio": ["OwnValue": 0.1545, "AuthorRank": 0.3851, "SimilarRank": 0.5086],
            "PublishActivation": ["OwnValue": 2, "AuthorRank": 0.7345, "SimilarRank": 0.5675],
        ]
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
            let route = String(path.dropFirst("/api/u1/v1/douyin/creator_v2/".count))
            let data: Any
            switch route {
            case "fetch_author_diagnosis":
                data = ["code": 0, "data": tikOmniDiagnosisExample] as [String: Any]
            case "fetch_item_analysis_involved_vertical":
                data = ["primary_verticals": ["动物", "美食", "旅游"], "status_code": 0, "status_msg": ""]
            case "fetch_item_list":
                data = [
                    "has_more": true, "cursor": 1_760_000_000_000,
                    "items": [["item_id": "7559536212910853422", "metrics": ["play_count": 192]]],
                ]
            case "fetch_item_list_download":
                // The route answers with the Excel file itself.
                return StubResponse(
                    status: 200,
                    headers: ["Content-Type": "application/vnd.ms-excel"],
                    body: [0x50, 0x4B, 0x03, 0x04] + Array("xlsx".utf8)
                )
            default:
                data = ["route": route, "status_code": 0]
            }
            return envelope(
                200,
                code: 200,
                message: "Request successful. This request will incur a charge.",
                messageZH: "请求成功,本次请求将被计费。",
                data: data,
                params: body
            )
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
