import Foundation

extension DocumentedResponses {
    /// The brand id of the GEO documentation's examples.
    public static let geoBrandID = "f6c5f69c-1234-4abc-9d77-2b1c0c5fdc8a"
    /// A brand id the stand-in answers with `brand_forbidden`.
    public static let geoForeignBrandID = "0000aaaa-0000-4000-8000-00000000dead"
    /// The only `X-Active-Workspace` the stand-in's key may use.
    public static let geoAllowedWorkspace = "7c1d5e0a-owner-ok"

    /// The documented `/trend` example row.
    public static var geoTrendExample: [String: Any] {
        [
            "date": "2025-12-07", "platform": "deepseek", "mention_rate_pct": 75.0, "first_place_rate_pct": 12.5,
            "avg_rank_score": 62.1, "snapshot_count": 8,
        ]
    }

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
        let brand: [String: Any] = [
            "id": geoBrandID, "name": "示例品牌", "website": "https://example.com", "description": "做云端数据库的公司",
            "is_active": true, "created_at": "2025-09-01T03:21:11Z", "updated_at": "2025-12-08T07:02:43Z",
        ]
        if match(path, "brands") != nil { return .json(200, ["data": [brand]]) }
        guard
            let brandID = match(path, "brands/:id")?.first
                ?? path.split(separator: "/").dropFirst().first.map(String.init)
        else {
            return error(404, "not_found", "Not Found")
        }
        if brandID == geoForeignBrandID { return error(403, "brand_forbidden", "品牌不属于当前工作区") }
        guard brandID == geoBrandID else { return error(404, "brand_not_found", "品牌不存在或已被软删") }
        let suffix = path.split(separator: "/").dropFirst(2).joined(separator: "/")
        switch suffix {
        case "":
            return .json(200, ["data": brand])
        case "topics":
            return .json(
                200,
                [
                    "data": [
                        [
                            "id": "9f4c-e1", "keyword": "云端数据库 推荐", "topic_type": "industry", "is_active": true,
                            "created_at": "2025-09-01T03:25:00Z",
                        ]
                    ]
                ]
            )
        case "overview":
            return .json(
                200,
                [
                    "data": [
                        "brand_id": geoBrandID,
                        "topics": [
                            [
                                "topic_id": "9f4c-e1", "keyword": "云端数据库 推荐", "topic_type": "industry",
                                "snapshot_count": 36,
                                "platforms_covered": 6, "last_snapshot_date": "2025-12-08T00:00:00Z",
                                "avg_brand_rank": 3.2,
                                "mention_rate_pct": 78.5, "first_place_rate_pct": 12.7, "avg_rank_score": 64.3,
                            ]
                        ],
                    ]
                ]
            )
        case "trend":
            return .json(200, ["data": [geoTrendExample]])
        case "rank-positions":
            return .json(
                200,
                [
                    "data": [
                        [
                            "topic_id": "9f4c-e1", "keyword": "云端数据库 推荐", "topic_type": "industry",
                            "date": "2025-12-07",
                            "platform": "deepseek", "brand_rank": 2, "brand_mentioned": true, "rank_score": 75.0,
                        ]
                    ]
                ]
            )
        case "citations":
            return .json(
                200,
                [
                    "data": [
                        [
                            "source_name": "知乎", "source_url": "https://zhuanlan.zhihu.com/p/xxxxx",
                            "source_domain": "zhuanlan.zhihu.com",
                            "cite_count": 5, "keyword": "云端数据库 推荐", "platform": "deepseek",
                        ]
                    ]
                ]
            )
        case "citations/overview":
            return .json(
                200,
                ["data": ["total_count": 1325, "source_count": 482, "domain_count": 113, "topic_count": 14]]
            )
        case "competitors":
            return .json(
                200,
                [
                    "data": [
                        [
                            "entity_name": "某竞品 A", "mention_count": 28, "platform_count": 5, "avg_position": 1.4,
                            "first_seen_date": "2025-09-04", "recent_mentions": 9, "previous_mentions": 5,
                            "previous_window_days": 7,
                            "platform_mentions": ["deepseek": 12, "doubao": 8],
                            "daily_trend": [
                                [
                                    "date": "2025-12-07", "count": 2, "rank_score": 72.0,
                                    "platform_counts": ["deepseek": 1, "doubao": 1],
                                ]
                            ],
                        ]
                    ]
                ]
            )
        default:
            return error(404, "not_found", "Not Found")
        }
    }
}
