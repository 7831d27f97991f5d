import Foundation
import Locking
import Providers
import SocialDataMCPTesting
import Spend
import Testing
import ToolCall
import Upstream
import Wire

/// The ask-first stage through the real pipeline, in memory on a manual clock: the
/// confirm_token round trip and its refusals, elicitation by request and by retry, and
/// the calls that never ask.
@Suite struct ConfirmStageTests {
    private let clock = ManualClock()
    private let transport = StubTransport { _ in
        StubTransport.json(["success": true, "data": ["items": [], "total": 0]])
    }

    private func runner(_ environment: [String: String] = [:]) throws -> ToolRunner {
        let configuration = try Configuration(
            environment: Environment(
                // The cache off unless a test turns it on: an identical call would be a hit.
                ClockDrivenToolTests.keys.merging(["SOCIAL_DATA_MCP_CACHE_TTL": "0"]) { _, new in new }
                    .merging(environment) { _, new in new }
                    .merging(["SOCIAL_DATA_MCP_STATE_DIR": ScratchStateDirectory.make()]) { old, _ in old }
            )
        )
        return ToolRunner(services: try ToolServices(configuration: configuration, transport: transport, clock: clock))
    }

    /// Requests a tool call sent (the price book's reads of the free price list left out).
    private var sent: Int { transport.requests.filter { !$0.url.path.contains("/billing/pricing") }.count }

    private func authors(_ pageSize: Int, token: String? = nil) -> JSONValue {
        var arguments: [String: JSONValue] = ["platform": "xiaohongshu", "keyword": "美妆", "page_size": .int(pageSize)]
        if let token { arguments["confirm_token"] = .string(token) }
        return .object(arguments)
    }

    private func call(
        _ runner: ToolRunner,
        _ arguments: JSONValue,
        asking: UserAsking? = nil
    ) async throws -> ToolResult {
        try await runner.call(
            name: "datanexus_list_authors",
            arguments: arguments,
            context: CallContext(asking: asking)
        ).get()
    }

    @Test func aTokenProceedsOnceAndOnlyForItsArgumentsAndTenMinutes() async throws {
        let runner = try runner()
        let quoted = try await call(runner, authors(100))
        #expect(quoted.isError)
        #expect(quoted.structured["error"]?["kind"] == "confirmation_required")
        #expect(quoted.structured["error"]?["worst_case"] == 8.0)
        let token = try #require(quoted.structured["confirm_token"]?.stringValue)
        #expect(quoted.text.contains("\"confirm_token\": \"\(token)\""), "\(quoted.text)")
        #expect(quoted.text.contains("Show the user this price"))
        #expect(sent == 0, "nothing is sent before confirmation")

        let confirmed = try await call(runner, authors(100, token: token))
        #expect(!confirmed.isError, "\(confirmed.text)")
        #expect(sent == 1)

        let reused = try await call(runner, authors(100, token: token))
        #expect(reused.isError && reused.text.contains("already used"), "\(reused.text)")
        let fresh = try #require(reused.structured["confirm_token"]?.stringValue)
        #expect(fresh != token, "a refusal comes with a new token")

        let larger = try await call(runner, authors(99, token: fresh))
        #expect(larger.isError && larger.text.contains("other arguments"), "\(larger.text)")

        clock.advance(by: .seconds(601))
        let late = try await call(runner, authors(100, token: fresh))
        #expect(late.isError && late.text.contains("expired"), "\(late.text)")
        #expect(sent == 1, "no refused token sent anything")
    }

    @Test func atTheThresholdADryRunAFreeToolAndNoneNeverAsk() async throws {
        let runner = try runner(["SOCIAL_DATA_MCP_CONFIRM_ABOVE_CNY": "1.60"])
        #expect(!(try await call(runner, authors(20))).isError, "¥1.60 is at the threshold, not above")
        let dryRun = try await call(runner, .object(["platform": "douyin", "page_size": 100, "dry_run": true]))
        #expect(!dryRun.isError && dryRun.structured["dry_run"] == true)
        let free = try await runner.call(name: "social_data_usage", arguments: [:], context: CallContext()).get()
        #expect(!free.isError)
        #expect(free.text.contains("above ¥1.60 asks first"), "\(free.text)")
        #expect(sent == 1)

        let off = try self.runner(["SOCIAL_DATA_MCP_CONFIRM_ABOVE_CNY": "none"])
        #expect(!(try await call(off, authors(100))).isError)
        #expect(sent == 2)
    }

    @Test func aCacheHitNeverAsks() async throws {
        let runner = try runner(["SOCIAL_DATA_MCP_CONFIRM_ABOVE_CNY": "none", "SOCIAL_DATA_MCP_CACHE_TTL": "300"])
        _ = try await call(runner, authors(100))
        let asking = try self.runner(["SOCIAL_DATA_MCP_CACHE_TTL": "300"])
        let first = try await call(asking, authors(100))
        let token = try #require(first.structured["confirm_token"]?.stringValue)
        _ = try await call(asking, authors(100, token: token))
        let hit = try await call(asking, authors(100))
        #expect(!hit.isError && hit.structured["billing"]?["cached"] == true, "\(hit.text)")
    }

    @Test func anElicitationAnswerDecidesAndOnlyAcceptSends() async throws {
        let runner = try runner()
        let asked = Locked<[JSONValue]>([])
        func answering(_ action: String?) -> UserAsking {
            .request { params in
                asked.withLock { $0.append(params) }
                return action.map { ["action": .string($0)] }
            }
        }
        let accepted = try await call(runner, authors(100), asking: answering("accept"))
        #expect(!accepted.isError, "\(accepted.text)")
        #expect(sent == 1)
        let message = asked.withLock { $0.first?["message"]?.stringValue } ?? ""
        #expect(
            message.contains("datanexus_list_authors") && message.contains("¥8.00")
                && message.contains("page_size: 100")
        )
        #expect(message.contains("是否批准") && message.contains("Left today: ¥"), "\(message)")
        for action in ["decline", "cancel", nil] {
            let refused = try await call(runner, authors(100), asking: answering(action))
            #expect(refused.isError && refused.structured["error"]?["kind"] == "not_approved", "\(refused.text)")
            #expect(refused.text.contains("did not approve"))
        }
        #expect(sent == 1, "a declined, cancelled or unanswered form sends nothing")
        #expect(asked.withLock { $0.count } == 4)
    }

    @Test func anInputRequiredRetryCarriesTheAnswerForTheSameArguments() async throws {
        let runner = try runner()
        let first = try await call(runner, authors(100), asking: .retry(responses: [:], requestState: nil))
        let required = try #require(first.inputRequired)
        #expect(first.json["resultType"] == "input_required")
        let state = try #require(required["requestState"]?.stringValue)
        let form = required["inputRequests"]?["approve_spend"]
        #expect(form?["method"] == "elicitation/create" && form?["params"]?["mode"] == "form")
        #expect(sent == 0)

        let accept: [String: JSONValue] = ["approve_spend": ["action": "accept", "content": [:]]]
        let changed = try await call(runner, authors(99), asking: .retry(responses: accept, requestState: state))
        #expect(changed.isError && changed.structured["error"]?["kind"] == "not_approved", "\(changed.text)")
        let declined = try await call(
            runner,
            authors(100),
            asking: .retry(responses: ["approve_spend": ["action": "decline"]], requestState: state)
        )
        #expect(declined.isError && declined.text.contains("the user chose decline"), "\(declined.text)")
        #expect(sent == 0)

        let again = try await call(runner, authors(100), asking: .retry(responses: [:], requestState: nil))
        let newState = try #require(again.inputRequired?["requestState"]?.stringValue)
        let done = try await call(runner, authors(100), asking: .retry(responses: accept, requestState: newState))
        #expect(!done.isError, "\(done.text)")
        #expect(sent == 1)
        let replayed = try await call(runner, authors(100), asking: .retry(responses: accept, requestState: newState))
        #expect(
            replayed.isError && replayed.text.contains("already used"),
            "an approval is good once: \(replayed.text)"
        )
        #expect(sent == 1)
    }

    @Test func aCallTheLimitsWouldRefuseIsRefusedWithoutAsking() async throws {
        let runner = try runner(["SOCIAL_DATA_MCP_MAX_SPEND_CNY": "6"])
        let refused = try await call(runner, authors(100))
        #expect(refused.structured["error"]?["kind"] == "budget_exceeded", "\(refused.text)")
        #expect(refused.structured["confirm_token"] == nil)
        #expect(sent == 0)
    }

    @Test func theSandboxAsksToo() async throws {
        let runner = try runner(["SOCIAL_DATA_MCP_SANDBOX": "1"])
        let quoted = try await call(runner, authors(100))
        #expect(quoted.isError && quoted.structured["confirm_token"] != nil)
        #expect(quoted.text.contains("Sandbox mode") && quoted.structured["error"]?["sandbox"] == true)
        let token = try #require(quoted.structured["confirm_token"]?.stringValue)
        let sample = try await call(runner, authors(100, token: token))
        #expect(!sample.isError && sample.text.lowercased().contains("sandbox"), "\(sample.text)")
    }
}
