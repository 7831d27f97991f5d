import Foundation

extension DocumentedResponses {
    /// A DataTrust key whose account is out of money (HTTP 402 on paid details).
    public static let dataTrustEmptyKey = "dt_empty_balance_key_0001"

    static func dataTrust(_ request: RecordedRequest, _ path: String) -> StubResponse {
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
        if let id = match(path, "models/:id")?.first ?? match(path, "models/:id/:part")?.first
            ?? match(path, "datasets/:id")?.first ?? match(path, "products/:id")?.first
            ?? match(path, "resources/:id")?.first
        {
            if id == "404" { return failure(404, "NOT_FOUND", "请求的资源不存在") }
            if key == dataTrustEmptyKey { return failure(402, "INSUFFICIENT_BALANCE", "余额不足,请充值") }
        }
        // The seed's examples (models/:id, account/balance) and inferred answers for the rest.
        return fixture("datatrust", request, path) ?? failure(404, "NOT_FOUND", "请求的资源不存在")
    }
}
