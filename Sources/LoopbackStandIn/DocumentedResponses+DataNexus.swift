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
        if match(path, "api/v1/platforms") != nil {
            return ok(dataNexusPlatforms.map { ["slug": $0, "unit_price": 0.08] })
        }
        if let captured = match(path, "api/v1/platforms/:platform"), dataNexusPlatforms.contains(captured[0]) {
            return ok(["slug": captured[0], "unit_price": 0.08, "unit": "条"])
        }
        if let captured = match(path, "api/v1/billing/pricing/:platform") {
            return ok([
                "platform": captured[0], "unit_price": captured[0] == "gpt-image-2" ? 0.5 : 0.08, "currency": "CNY",
            ])
        }
        if match(path, "api/v1/catalog") != nil {
            return ok(["live": ["/api/v1/platforms/{platform}/authors"], "reserved": ["/api/v1/ai/chat/completions"]])
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
        if request.method == "GET", let captured = match(path, "api/v1/platforms/:platform/authors/:id") {
            return ok(["id": captured[1], "platform": captured[0], "nickname": "小红薯示例", "follower_count": 12_345])
        }
        if request.method == "GET", let captured = match(path, "api/v1/platforms/:platform/works/:id") {
            return ok(["id": captured[1], "platform": captured[0], "title": "示例笔记", "like_count": 678])
        }
        if request.method == "POST", match(path, "api/v1/images/generations") != nil {
            let format = request.bodyObject?["response_format"] as? String ?? "url"
            let image: [String: Any] =
                format == "b64_json"
                ? ["b64_json": tinyPNGBase64]
                : ["url": "https://cdn.dataneuxs.icu/images/generated-1.png"]
            return ok(["created": 1_767_225_600, "data": [image]])
        }
        return failure(404, "Not Found")
    }
}
