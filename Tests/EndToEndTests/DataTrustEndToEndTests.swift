import Foundation
import LoopbackStandIn
import Providers
import Testing
import Wire

@Suite("DataTrust end to end")
struct DataTrustEndToEndTests {
    static let auth = ["Authorization": "Bearer " + (Harness.keys["DATATRUST_API_KEY"] ?? "")]

    static func get(
        _ tool: String,
        _ arguments: JSONValue,
        _ path: String,
        query: [String: String] = [:]
    ) -> UpstreamExpectation {
        UpstreamExpectation(tool, arguments, "GET", path, query: query, headers: auth)
    }

    static let requests: [UpstreamExpectation] = [
        get(
            "datatrust_search_models",
            ["keyword": "金融", "industry": "互联网", "grade": "B+", "page": 2, "per_page": 10],
            "/models",
            query: ["keyword": "金融", "industry": "互联网", "grade": "B+", "page": "2", "per_page": "10"]
        ),
        get("datatrust_get_model", ["id": "123"], "/models/123"),
        get("datatrust_get_model", ["id": "123", "part": "full"], "/models/123"),
        get("datatrust_get_model", ["id": "123", "part": "fields"], "/models/123/fields"),
        get("datatrust_get_model", ["id": "123", "part": "sample"], "/models/123/sample"),
        get("datatrust_search_datasets", [:], "/datasets"),
        get("datatrust_get_dataset", ["id": "9"], "/datasets/9"),
        get("datatrust_list_products", ["kind": "products"], "/products"),
        get("datatrust_list_products", ["kind": "resources"], "/resources"),
        get("datatrust_get_product", ["kind": "products", "id": "5"], "/products/5"),
        get("datatrust_get_product", ["kind": "resources", "id": "6"], "/resources/6"),
        get("datatrust_get_account", [:], "/account/balance"),
        get("datatrust_get_account", ["view": "usage"], "/account/usage"),
    ]

    @Test("each tool makes its documented request", arguments: requests)
    func exactUpstreamRequest(_ expectation: UpstreamExpectation) async throws {
        // About the request alone: a detail with no charge recorded yet would ask first
        // (its reserve is everything left), which ConfirmEndToEndTests covers.
        try await expectation.verify(
            prefix: "/datatrust/api/v1",
            environment: ["SOCIAL_DATA_MCP_CONFIRM_ABOVE_CNY": "none"]
        )
    }

    static let errorCases: [ProviderErrorCase] = [
        ProviderErrorCase(
            tool: "datatrust_get_model",
            code: "AUTH_REQUIRED",
            environment: [:],
            arguments: ["id": "1"],
            handler: { _ in .json(401, ["success": false, "error": "未提供API密钥", "code": "AUTH_REQUIRED"]) },
            fragments: ["API key was refused (HTTP 401)", #""未提供API密钥" [AUTH_REQUIRED]"#, "DATATRUST_API_KEY"],
            requests: 1
        ),
        ProviderErrorCase(
            tool: "datatrust_get_model",
            code: "INVALID_API_KEY",
            environment: ["DATATRUST_API_KEY": "revoked-key-without-prefix"],
            arguments: ["id": "1"],
            handler: nil,
            fragments: [#""API密钥无效或已撤销" [INVALID_API_KEY]"#, "create a new key"],
            requests: 1
        ),
        ProviderErrorCase(
            tool: "datatrust_get_model",
            code: "INSUFFICIENT_BALANCE",
            environment: ["DATATRUST_API_KEY": DocumentedResponses.dataTrustEmptyKey],
            arguments: ["id": "1"],
            handler: nil,
            fragments: [
                "insufficient balance (HTTP 402)", #""余额不足,请充值" [INSUFFICIENT_BALANCE]"#, "recharge",
                "searches and lists stay free",
            ],
            requests: 1
        ),
        ProviderErrorCase(
            tool: "datatrust_get_model",
            code: "NOT_FOUND",
            environment: [:],
            arguments: ["id": "404"],
            handler: nil,
            fragments: ["not found (HTTP 404)", "[NOT_FOUND]"],
            requests: 1
        ),
        ProviderErrorCase(
            tool: "datatrust_get_model",
            code: "RATE_LIMITED",
            environment: [:],
            arguments: ["id": "1"],
            handler: { _ in
                .json(
                    429,
                    ["success": false, "error": "请求频率超限,请稍后重试", "code": "RATE_LIMITED"],
                    headers: ["Retry-After": "0"]
                )
            },
            fragments: ["rate limited (HTTP 429) after 3 attempts", "[RATE_LIMITED]"],
            requests: 3
        ),
        ProviderErrorCase(
            tool: "datatrust_get_model",
            code: "INTERNAL_ERROR",
            environment: [:],
            arguments: ["id": "1"],
            handler: { _ in .json(500, ["success": false, "error": "服务器内部错误", "code": "INTERNAL_ERROR"]) },
            fragments: ["server error (HTTP 500)", "[INTERNAL_ERROR]", "try again later"],
            requests: 1
        ),
    ]

    @Test("maps error code", arguments: errorCases)
    func mapsErrorCode(_ testCase: ProviderErrorCase) async throws {
        try await testCase.expectMapped()
    }

    @Test func paidDetailsReportTheChargeAndBalance() async throws {
        try await withHarness { harness in
            let result = try await harness.server.callTool("datatrust_get_model", ["id": "123"])
            #expect(
                result.resultText.contains(
                    "Cost: ¥3.00 (as reported by DataTrust). Balance left with the provider: ¥47.00."
                ),
                "\(result.resultText)"
            )
            let structured = try #require(result["structuredContent"])
            #expect(structured["billing"]?["cost"] == 3.0)
            #expect(structured["billing"]?["provider_balance"] == 47.0)
            #expect(structured["upstream"]?["credits_charged"] == 3.0)
            #expect(structured["upstream"]?["balance_remaining"] == 47.0)
            #expect(structured["data"]?["name"] == "用户行为数据模型")
            let usage = try await harness.server.callTool("social_data_usage")
            #expect(usage["structuredContent"]?["data"]?["provider_balances"]?["datatrust"] == 47.0)
            #expect(usage["structuredContent"]?["data"]?["by_provider"]?["datatrust"]?["spent_cny"] == 3.0)
        }
    }

    @Test func listsSayTheyAreFree() async throws {
        try await withHarness { harness in
            for (tool, arguments) in [
                ("datatrust_search_models", JSONValue.object([:])), ("datatrust_list_products", ["kind": "resources"]),
            ] {
                let result = try await harness.server.callTool(tool, arguments)
                #expect(
                    result.resultText.contains("Cost: ¥0.00 (free: DataTrust lists and searches at no charge)"),
                    "\(result.resultText)"
                )
                #expect(result["structuredContent"]?["billing"]?["cost"] == 0.0)
            }
        }
    }
}
