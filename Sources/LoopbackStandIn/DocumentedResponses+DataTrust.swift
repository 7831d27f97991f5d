import Foundation

extension DocumentedResponses {
    /// A DataTrust key whose account is out of money (HTTP 402 on paid details).
    public static let dataTrustEmptyKey = "dt_empty_balance_key_0001"

    static func dataTrust(_ request: RecordedRequest, _ path: String) -> StubResponse {
        func ok(_ data: Any, charged: Double? = nil) -> StubResponse {
            var body: [String: Any] = ["success": true, "data": data]
            if let charged {
                body["credits_charged"] = charged
                body["balance_remaining"] = 47.0
            }
            return .json(200, body)
        }
        func failure(_ status: Int, _ code: String, _ message: String) -> StubResponse {
            .json(status, ["success": false, "error": message, "code": code])
        }
        guard let authorization = request.headers["authorization"], authorization.hasPrefix("Bearer "),
            authorization.count > 7
        else {
            return failure(401, "AUTH_REQUIRED", "未提供API密钥")
        }
        let key = String(authorization.dropFirst(7))
        guard key.hasPrefix("dt_") else { return failure(401, "INVALID_API_KEY", "API密钥无效或已撤销") }
        let query = request.query
        let page = Int(query["page"] ?? "1") ?? 1
        let perPage = Int(query["per_page"] ?? "20") ?? 20
        func listing(_ kind: String) -> StubResponse {
            let items = (0..<min(perPage, 3)).map {
                ["id": $0 + 1, "name": "\(kind) \($0 + 1)", "grade_v4": "A"] as [String: Any]
            }
            return ok(["items": items, "total": 3, "page": page, "per_page": perPage])
        }
        func detail(_ kind: String, _ id: String, charge: Double) -> StubResponse {
            if id == "404" { return failure(404, "NOT_FOUND", "请求的资源不存在") }
            if key == dataTrustEmptyKey { return failure(402, "INSUFFICIENT_BALANCE", "余额不足,请充值") }
            return ok(
                [
                    "id": Int(id) ?? 0, "name": "用户行为数据模型", "industry": "互联网", "kind": kind, "grade_v4": "A",
                    "score_total_v4": 82.5,
                ],
                charged: charge
            )
        }
        if match(path, "models") != nil { return listing("model") }
        if match(path, "datasets") != nil { return listing("dataset") }
        if match(path, "products") != nil { return listing("product") }
        if match(path, "resources") != nil { return listing("resource") }
        if let id = match(path, "models/:id")?.first { return detail("model", id, charge: 3.0) }
        if let id = match(path, "models/:id/fields")?.first { return detail("model_fields", id, charge: 1.0) }
        if let id = match(path, "models/:id/sample")?.first { return detail("model_sample", id, charge: 1.0) }
        if let id = match(path, "datasets/:id")?.first { return detail("dataset", id, charge: 5.0) }
        if let id = match(path, "products/:id")?.first { return detail("product", id, charge: 2.0) }
        if let id = match(path, "resources/:id")?.first { return detail("resource", id, charge: 2.0) }
        if match(path, "account/balance") != nil {
            return ok(["balance": 50.0, "free_calls_remaining": 85, "tier": "free"])
        }
        if match(path, "account/usage") != nil { return ok(["calls_today": 12, "credits_spent": 9.0]) }
        return failure(404, "NOT_FOUND", "请求的资源不存在")
    }
}
