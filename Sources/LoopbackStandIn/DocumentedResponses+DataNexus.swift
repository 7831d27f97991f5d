import Foundation

extension DocumentedResponses {
    /// A 1×1 PNG, base64: what `response_format: b64_json` returns.
    public static let tinyPNGBase64 =
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="

    /// The DataNexus key that plays an empty wallet (HTTP 402).
    public static let emptyWalletKey = "dn_live_empty_wallet_key"

    static let dataNexusPlatforms = ["xiaohongshu", "douyin", "channels", "kuaishou"]

    static func dataNexus(_ request: RecordedRequest, _ path: String) -> StubResponse {
        func ok(_ data: Any) -> StubResponse { .json(200, ["success": true, "data": data]) }
        func failure(_ status: Int, _ message: String) -> StubResponse {
            .json(status, ["success": false, "error": message])
        }

        // Public endpoints: no key needed.
        if match(path, "health") != nil { return .json(200, ["status": "ok"]) }
        // Public endpoints: no key needed; inferred answers (Fixtures/datanexus), as the
        // seed shows none.
        if request.method == "GET",
            match(path, "api/v1/platforms") != nil || match(path, "api/v1/catalog") != nil
                || match(path, "api/v1/billing/pricing/:platform") != nil
                || match(path, "api/v1/platforms/:platform").map({ dataNexusPlatforms.contains($0[0]) }) == true
        {
            return fixture("datanexus", request, path) ?? failure(404, "Not Found")
        }

        guard let key = request.headers["x-api-key"], !key.isEmpty else { return failure(401, "缺少 API Key") }
        guard key.hasPrefix("dn_live_") else { return failure(401, "API Key 无效") }
        if key == emptyWalletKey { return failure(402, "余额不足,请充值") }

        if request.method == "GET", let captured = match(path, "api/v1/platforms/:platform/:kind"),
            ["authors", "works"].contains(captured[1])
        {
            let (platform, kind) = (captured[0], captured[1])
            guard dataNexusPlatforms.contains(platform) else { return failure(404, "未知平台") }
            let query = request.query
            let page = Int(query["page"] ?? "1") ?? 1
            let pageSize = min(100, Int(query["page_size"] ?? "20") ?? 20)
            let items: [[String: Any]] = (0..<pageSize).map { index in
                kind == "authors"
                    ? [
                        "id": "\(platform)-author-\(page)-\(index)", "nickname": "博主\(index)",
                        "follower_count": 10_000 + index,
                    ]
                    : ["id": "\(platform)-work-\(page)-\(index)", "title": "作品\(index)", "like_count": 100 + index]
            }
            return ok(["items": items, "page": page, "page_size": pageSize, "total": 1_000])
        }
        if request.method == "GET", match(path, "api/v1/platforms/:platform/:kind/:id") != nil {
            return fixture("datanexus", request, path) ?? failure(404, "Not Found")
        }
        if request.method == "POST", match(path, "api/v1/images/generations") != nil {
            if request.bodyObject?["response_format"] as? String == "b64_json" {
                return ok(["created": 1_767_225_600, "data": [["b64_json": tinyPNGBase64]]])
            }
            return fixture("datanexus", request, path) ?? failure(404, "Not Found")
        }
        return failure(404, "Not Found")
    }
}
