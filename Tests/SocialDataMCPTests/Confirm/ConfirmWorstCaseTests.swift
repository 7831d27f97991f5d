import Catalog
import Foundation
import SocialDataMCPTesting
import Spend
import Testing
import Wire

/// The worst case the ask stage quotes is the one the ledger's hold reserves, read without
/// holding anything: the quote, the largest charge recorded (by any process), the
/// documented charge, or everything left.
@Suite struct ConfirmWorstCaseTests {
    static let documented = Price.reportedByProvider(.cny, "per call", documented: .yuan(3))
    static let undocumented = Price.reportedByProvider(.cny, "per call")

    static func spend(_ variables: [String: String], folder: String) throws -> SpendGuard {
        let environment = variables.merging(["SOCIAL_DATA_MCP_STATE_DIR": folder]) { _, folder in folder }
        return SpendGuard(configuration: try Configuration(environment: Environment(environment)), clock: { Date() })
    }

    static func tool(_ price: Price) -> ToolDefinition {
        ToolDefinition(name: "datatrust_get_model", title: "Model", summary: "A model.", route: .none, price: price)
    }

    @Test func aDocumentedChargeThenALargerOneRecordedByAnotherProcess() async throws {
        let folder = ScratchStateDirectory.make()
        let asking = try Self.spend([:], folder: folder)
        let cost = CallCost(price: Self.documented, arguments: [:])
        let before = try #require(asking.worstCase(of: cost, tool: "datatrust_get_model"))
        #expect(before.amount == .yuan(3) && before.basis == .documented)
        #expect(before.words == "documented: ¥3.00 a call")

        // Another process (its own guard on the same folder) is charged ¥4.50.
        let other = try Self.spend([:], folder: folder)
        let admitted = await other.admit(cost, tool: Self.tool(Self.documented), provider: "datatrust")
        guard case .success(let admission) = admitted else {
            Issue.record("not admitted: \(admitted)")
            return
        }
        other.settle(
            admission,
            Settlement(
                provider: "datatrust",
                tool: "datatrust_get_model",
                currency: .cny,
                cost: .yuan(4.5),
                items: 1,
                failed: false,
                balance: nil
            )
        )
        let after = try #require(asking.worstCase(of: cost, tool: "datatrust_get_model"))
        #expect(after.amount == .yuan(4.5) && after.basis == .recorded, "\(after)")
        #expect(after.words == "largest charge recorded for this tool: ¥4.50")
        #expect(after.isAbove(.yuan(4)) && !after.isAbove(.yuan(4.5)))
    }

    @Test func noKnownPriceIsEverythingLeftOrUnbounded() throws {
        let cost = CallCost(price: Self.undocumented, arguments: [:])
        let limited = try Self.spend(["SOCIAL_DATA_MCP_DAILY_LIMIT_CNY": "12"], folder: ScratchStateDirectory.make())
        let rest = try #require(limited.worstCase(of: cost, tool: "datatrust_get_dataset"))
        #expect(rest.amount == .yuan(12) && rest.basis == .rest)
        #expect(rest.words == "no known price: up to everything left under the limits, ¥12.00")

        let unlimited = try Self.spend(
            ["SOCIAL_DATA_MCP_DAILY_LIMIT_CNY": "none"],
            folder: ScratchStateDirectory.make()
        )
        let unbounded = try #require(unlimited.worstCase(of: cost, tool: "datatrust_get_dataset"))
        #expect(unbounded.amount == nil && unbounded.basis == .none)
        #expect(unbounded.isAbove(.yuan(1_000_000)), "nothing bounds it, so it passes any threshold")
    }

    @Test func aQuoteIsItselfAndAnUndisclosedRateHasNone() throws {
        let spend = try Self.spend([:], folder: ScratchStateDirectory.make())
        let quoted = Price.perItem(.yuan(0.08), unit: "item", maximum: .fixed(10), counted: .oneIfPresent)
        let quote = try #require(spend.worstCase(of: CallCost(price: quoted, arguments: [:]), tool: "t"))
        #expect(quote.amount == .yuan(0.8) && quote.basis == .quote)
        let undisclosed = CallCost(price: .undisclosed("plan rate"), arguments: [:])
        #expect(spend.worstCase(of: undisclosed, tool: "tikomni_douyin_item_list") == nil)
    }
}
