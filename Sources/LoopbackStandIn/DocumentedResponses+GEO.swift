import Foundation

extension DocumentedResponses {
    /// The brand id of the GEO documentation's examples.
    public static let geoBrandID = "f6c5f69c-1234-4abc-9d77-2b1c0c5fdc8a"
    /// A brand id the stand-in answers with `brand_forbidden`.
    public static let geoForeignBrandID = "0000aaaa-0000-4000-8000-00000000dead"
    /// The only `X-Active-Workspace` the stand-in's key may use.
    public static let geoAllowedWorkspace = "7c1d5e0a-owner-ok"

    static func geo(_ request: RecordedRequest, _ path: String, state: StandInState) -> StubResponse {
        func error(_ status: Int, _ code: String, _ message: String, headers: [String: String] = [:]) -> StubResponse {
            .json(status, ["error": ["code": code, "message": message]], headers: headers)
        }
        let bearer = request.headers["authorization"].flatMap {
            $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil
        }
        guard let key = request.headers["x-api-key"] ?? bearer, !key.isEmpty else {
            return error(401, "missing_api_key", "缺少 API Key,请在请求头中携带 X-API-Key")
        }
        guard key.count == 32, key.allSatisfy(\.isHexDigit) else {
            return error(401, "invalid_api_key", "API Key 无效或已被删除")
        }
        guard state.admitGEO(key: key) else {
            return error(429, "rate_limited", "请求过于频繁", headers: ["Retry-After": "1"])
        }
        if let workspace = request.headers["x-active-workspace"], workspace != geoAllowedWorkspace {
            return error(403, "workspace_forbidden", "当前密钥无权访问该工作区")
        }
        // The answers are the seed's examples (Fixtures/geo), whatever the brand's data.
        if match(path, "brands") != nil { return fixture("geo", request, path) ?? error(404, "not_found", "Not Found") }
        guard let brandID = path.split(separator: "/").dropFirst().first.map(String.init) else {
            return error(404, "not_found", "Not Found")
        }
        if brandID == geoForeignBrandID { return error(403, "brand_forbidden", "品牌不属于当前工作区") }
        guard brandID == geoBrandID else { return error(404, "brand_not_found", "品牌不存在或已被软删") }
        return fixture("geo", request, path) ?? error(404, "not_found", "Not Found")
    }
}
