import Catalog
import Testing
import ToolCall
import Upstream

@Suite struct RetryRuleTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let rule: RetryRule
        let retriedStatuses: Set<Int>
        let retriedFailures: [TransportError]
        var testDescription: String { "\(rule)" }
    }

    static let failures: [TransportError] = [
        .cannotConnect("refused"), .connectionLost("reset"), .timedOut, .failed("tls"), .cancelled,
    ]

    /// The whole table: what each rule sends again after.
    static let table: [Row] = [
        Row(
            rule: .read,
            retriedStatuses: [429, 502, 503, 504],
            retriedFailures: [.cannotConnect("refused"), .connectionLost("reset"), .failed("tls")]
        ),
        Row(rule: .paidRead, retriedStatuses: [429, 503], retriedFailures: [.cannotConnect("refused")]),
        Row(rule: .createsWork, retriedStatuses: [], retriedFailures: [.cannotConnect("refused")]),
    ]

    @Test(arguments: table)
    func retriesExactlyWhatTheTableSays(_ row: Row) {
        for status in [200, 400, 401, 402, 404, 429, 500, 502, 503, 504] {
            #expect(row.rule.retries(status: status) == row.retriedStatuses.contains(status), "HTTP \(status)")
        }
        for failure in Self.failures {
            #expect(row.rule.retries(failure) == row.retriedFailures.contains(failure), "\(failure)")
        }
    }

    @Test(arguments: RetryRule.allCases)
    func aChargeIsPossibleOnlyForPaidCallsThatMayHaveReachedTheProvider(_ rule: RetryRule) {
        for status in [429, 500, 502, 503, 504] {
            #expect(rule.mayHaveCharged(status: status) == (rule != .read && [502, 504].contains(status)))
        }
        #expect(!rule.mayHaveCharged(.cannotConnect("refused")))
        for failure in [TransportError.connectionLost("reset"), .timedOut, .failed("tls")] {
            #expect(rule.mayHaveCharged(failure) == (rule != .read))
        }
    }

    @Test func theRuleComesFromTheRowsEffectAndPrice() {
        let free = Price.free("public")
        let paid = Price.perItem(.yuan(0.08), unit: "item", maximum: .fixed(1), counted: .oneIfPresent)
        #expect(RetryRule(effect: .read, price: free) == .read)
        #expect(RetryRule(effect: .read, price: paid) == .paidRead)
        #expect(RetryRule(effect: .createsPaidWork, price: paid) == .createsWork)
        #expect(RetryRule(effect: .passthrough, price: .undisclosed("plan")) == .createsWork)
    }

    @Test(arguments: [
        ("geo_list_brands", RetryRule.read), ("datanexus_list_platforms", .read), ("datatrust_search_models", .read),
        ("datanexus_get_author", .paidRead), ("creativault_get_task_status", .paidRead),
        ("datatrust_get_model", .paidRead), ("datanexus_generate_image", .createsWork),
        ("creativault_submit_collection", .createsWork), ("tikomni_call_route", .createsWork),
    ])
    func rowsGetTheRuleTheirCostCallsFor(_ name: String, _ expected: RetryRule) throws {
        let tool = try #require(ToolServices.entries.first { $0.tool.name == name }?.tool)
        #expect(RetryRule(effect: tool.effect, price: tool.price) == expected)
    }

    @Test func imageGenerationWaitsAsLongAsTheSeedsOwnClient() throws {
        let image = try #require(ToolServices.entries.first { $0.tool.name == "datanexus_generate_image" }?.tool)
        #expect(image.timeoutSeconds == 120)
    }
}
