import Testing

@Suite("Argument errors are caught before any request")
struct ArgumentErrorEndToEndTests {
    static let cases: [ArgumentCase] = [
        ArgumentCase(
            tool: "datanexus_get_author",
            arguments: ["id": "1"],
            fragment: "Missing required argument 'platform'"
        ),
        ArgumentCase(
            tool: "datanexus_get_author",
            arguments: ["platform": "weibo", "id": "1"],
            fragment: "'platform' must be one of xiaohongshu, douyin, channels, kuaishou"
        ),
        ArgumentCase(
            tool: "datanexus_get_author",
            arguments: ["platform": "douyin", "id": 5],
            fragment: "'id' must be a non-empty string; got integer 5"
        ),
        ArgumentCase(
            tool: "datanexus_get_author",
            arguments: ["platform": "douyin", "id": ""],
            fragment: "'id' must not be empty"
        ),
        ArgumentCase(
            tool: "datanexus_list_authors",
            arguments: ["platform": "douyin", "page_size": 101],
            fragment: "'page_size' must be between 1 and 100; got 101"
        ),
        ArgumentCase(
            tool: "datanexus_list_authors",
            arguments: ["platform": "douyin", "page_size": "20"],
            fragment: "'page_size' must be an integer from 1 to 100; got string"
        ),
        ArgumentCase(
            tool: "datanexus_list_authors",
            arguments: ["platform": "douyin", "page_size": 2.5],
            fragment: "'page_size' must be an integer"
        ),
        ArgumentCase(
            tool: "datanexus_list_authors",
            arguments: ["platform": "douyin", "limit": 5],
            fragment: "Unknown argument 'limit'"
        ),
        ArgumentCase(
            tool: "datanexus_generate_image",
            arguments: ["prompt": "猫", "quality": "ultra"],
            fragment: "'quality' must be one of low, medium, high, auto"
        ),
        ArgumentCase(
            tool: "datanexus_generate_image",
            arguments: ["prompt": "猫", "size": "big"],
            fragment: "'size' must be \"auto\" or WIDTHxHEIGHT"
        ),
        ArgumentCase(tool: "datanexus_generate_image", arguments: [:], fragment: "Missing required argument 'prompt'"),
    ]

    @Test("rejects", arguments: cases)
    func rejectsWithoutARequest(_ testCase: ArgumentCase) async throws {
        try await testCase.expectRejected()
    }

    @Test func nullArgumentsCountAsAbsentForStrictCallers() async throws {
        try await withHarness { harness in
            let result = try await harness.server.callTool(
                "datanexus_list_authors",
                ["platform": "douyin", "keyword": nil, "page": nil, "page_size": 2, "dry_run": nil, "max_age": nil]
            )
            #expect(!result.isToolError, "\(result.resultText)")
            #expect(harness.upstream.callRequests.first?.query == ["page_size": "2"])
        }
    }
}
