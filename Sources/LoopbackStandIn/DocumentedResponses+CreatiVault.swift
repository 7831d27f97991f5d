import Foundation

extension DocumentedResponses {
    /// Tasks whose id starts with this never finish (for cancellation tests).
    public static let neverEndingTaskPrefix = "task_forever"
    /// Polls a task takes to complete.
    public static let creatiVaultPollsToComplete = 4

    static func creatiVault(_ request: RecordedRequest, _ path: String, state: StandInState) -> StubResponse {
        let requestID = "req_\(abs(path.hashValue) % 100_000)"
        func ok(_ data: Any, meta extra: [String: Any] = [:], credits: Int = 0) -> StubResponse {
            var meta: [String: Any] = ["request_id": requestID, "quota_remaining": -1, "credits_consumed": credits]
            meta.merge(extra) { _, new in new }
            return .json(200, ["success": true, "data": data, "error": NSNull(), "meta": meta])
        }
        func failure(_ status: Int, _ code: String, _ message: String) -> StubResponse {
            .json(
                status,
                [
                    "success": false, "data": NSNull(), "error": ["code": code, "message": message],
                    "meta": ["request_id": requestID],
                ]
            )
        }
        guard request.method == "POST" else { return failure(405, "METHOD_NOT_ALLOWED", "all endpoints are POST") }
        let body = request.bodyObject ?? [:]
        if match(path, "webhook/verify") != nil {
            return ok(["challenge": body["challenge"] ?? "", "verified": true])
        }
        guard let key = request.headers["x-api-key"], !key.isEmpty else {
            return failure(401, "UNAUTHORIZED", "missing X-API-Key")
        }
        guard let identity = request.headers["x-user-identity"], identity.contains("@") else {
            return failure(401, "UNAUTHORIZED", "missing X-User-Identity")
        }
        func creators(_ count: Int, platform: String) -> [[String: Any]] {
            (0..<count).map {
                ["username": "\(platform)_creator_\($0)", "followers_cnt": 50_000 + $0, "country_code": "US"]
            }
        }
        if let captured = match(path, "creators/:platform/search") {
            let size = body["size"] as? Int ?? 20
            let page = body["page"] as? Int ?? 1
            let level = body["service_level"] as? String ?? "S1"
            let perCreator: Double = ["S1": 1.0, "S2": 1.2, "S3": 2.0][level] ?? 1
            return ok(
                ["list": creators(size, platform: captured[0])],
                meta: ["page": page, "size": size, "total": 1_200, "service_level": level],
                credits: Int((Double(size) * perCreator).rounded())
            )
        }
        if match(path, "creators/lookalike") != nil {
            let limit = body["limit"] as? Int ?? 10
            return ok(["list": creators(limit, platform: body["platform"] as? String ?? "tiktok")], credits: limit)
        }
        if match(path, "collection/tasks/submit") != nil || match(path, "collection/tasks/keyword-submit") != nil {
            let count = (body["values"] as? [Any])?.count ?? (body["keywords"] as? [Any])?.count ?? 0
            return ok(["task_id": "task_20260315_abc123", "status": "pending", "total": count], credits: count)
        }
        if match(path, "collection/tasks/status") != nil {
            let task = body["task_id"] as? String ?? ""
            let polls = state.poll(task)
            let total = creatiVaultPollsToComplete - 1
            if task.hasPrefix(neverEndingTaskPrefix) {
                return ok([
                    "task_id": task, "status": "running", "total": 100, "completed": min(polls, 99), "failed": 0,
                ])
            }
            let completed = min(polls - 1, total)
            let status = polls >= creatiVaultPollsToComplete ? "completed" : "running"
            return ok(["task_id": task, "status": status, "total": total, "completed": completed, "failed": 0])
        }
        if match(path, "collection/tasks/data") != nil {
            let size = body["size"] as? Int ?? 20
            let page = body["page"] as? Int ?? 1
            return ok(
                ["list": creators(size, platform: "tiktok")],
                meta: ["page": page, "size": size, "total": 45],
                credits: size
            )
        }
        if match(path, "collection/tasks/export") != nil {
            return ok(["file_id": "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6", "format": body["format"] ?? "xlsx"], credits: 5)
        }
        if match(path, "files/download-url") != nil {
            return ok(["url": "https://files.creativault.example/\(body["file_id"] ?? "").xlsx", "expires_in": 3600])
        }
        return failure(404, "NOT_FOUND", "no such endpoint")
    }
}
