import Catalog
import Foundation
import Spend
import Testing
import Wire

/// The two ledgers behind one door: the disk admits first and decides a provider-priced
/// call's reserve, the process's ceiling second, and neither keeps a hold the other refused.
@Suite struct SpendGuardTests {
    static let documented = Price.reportedByProvider(.cny, "per call", documented: .yuan(3))

    static func tool(_ price: Price = documented) -> ToolDefinition {
        ToolDefinition(name: "datatrust_get_model", title: "Model", summary: "A model.", route: .none, price: price)
    }

    static func spend(ceiling: String?, daily: String = "100", folder: String? = nil) throws -> SpendGuard {
        var variables = [
            "SOCIAL_DATA_MCP_STATE_DIR": try folder ?? DurableLedgerTests.directory(),
            "SOCIAL_DATA_MCP_DAILY_LIMIT_CNY": daily,
        ]
        if let ceiling { variables["SOCIAL_DATA_MCP_MAX_SPEND_CNY"] = ceiling }
        return SpendGuard(configuration: try Configuration(environment: Environment(variables)), clock: { Date() })
    }

    static func admit(_ spend: SpendGuard) async -> Result<SpendGuard.Admission, SpendGuard.Denial> {
        await spend.admit(CallCost(price: documented, arguments: [:]), tool: tool(), provider: "datatrust")
    }

    static func settlement(_ cost: Money?) -> Settlement {
        Settlement(
            provider: "datatrust",
            tool: "datatrust_get_model",
            currency: .cny,
            cost: cost,
            items: 1,
            failed: false,
            balance: nil
        )
    }

    @Test func aCallTheCeilingRefusesGivesItsHoldOnDiskBack() async throws {
        let spend = try Self.spend(ceiling: "2")
        guard case .failure(.refused(let refusal)) = await Self.admit(spend) else {
            Issue.record("a ¥3 reserve passes a ¥2 ceiling")
            return
        }
        #expect(refusal.scope == .process)
        #expect(refusal.worstCase == .yuan(3), "the process holds the reserve the disk chose")
        let status = spend.shared.status()
        #expect(status.held(.day, .cny) == .zero(.cny), "the refused call's hold on disk was given back")
        #expect(status.spent(.day, .cny) == .zero(.cny))
        #expect(spend.process.snapshot().reserved[.cny, default: .zero(.cny)] == .zero(.cny))
    }

    @Test func theProcessHoldsTheReserveTheDiskChose() async throws {
        let spend = try Self.spend(ceiling: "10")
        let admission = try await Self.admit(spend).get()
        #expect(spend.process.snapshot().reserved[.cny] == .yuan(3))
        #expect(spend.shared.cachedStatus().held(.day, .cny) == .yuan(3))
        let settled = spend.settle(admission, Self.settlement(.yuan(1)))
        #expect(settled.error == nil)
        #expect(spend.process.snapshot().reserved[.cny] == .zero(.cny))
        #expect(spend.process.snapshot().overall.spent(.cny) == .yuan(1))
        #expect(spend.budget(includeShared: true).shared?.spent(.day, .cny) == .yuan(1), "the budget line, unread")
    }

    @Test func aReleaseAfterTheRequestLeftIsSettledAtTheWorstCaseInBothLedgers() async throws {
        let spend = try Self.spend(ceiling: "10")
        let unsent = try await Self.admit(spend).get()
        spend.release(unsent)
        #expect(spend.shared.status().spent(.day, .cny) == .zero(.cny), "never sent: given back")
        #expect(spend.process.snapshot().overall.spent(.cny) == .zero(.cny))

        let sent = try await Self.admit(spend).get()
        spend.markSent(sent)
        spend.release(sent)
        let status = spend.shared.status()
        #expect(status.spent(.day, .cny) == .yuan(3), "sent, then cancelled: counted at its worst case")
        #expect(status.held(.day, .cny) == .zero(.cny))
        #expect(spend.process.snapshot().overall.spent(.cny) == .yuan(3))
        #expect(spend.process.snapshot().reserved[.cny] == .zero(.cny))
    }

    @Test func concurrentAdmitsShareTheLimitAndNeverPassIt() async throws {
        let spend = try Self.spend(ceiling: nil, daily: "10")
        let admitted = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<24 {
                group.addTask {
                    guard case .success = await Self.admit(spend) else { return false }
                    return true
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(admitted == 3, "three ¥3 reserves fit under ¥10")
        #expect(spend.shared.status().held(.day, .cny) == .yuan(9))
    }

    @Test func theBudgetOfALedgerNeverReadIsReadOnce() async throws {
        let folder = try DurableLedgerTests.directory()
        let spend = try Self.spend(ceiling: nil, folder: folder)
        let admission = try await Self.admit(spend).get()
        spend.settle(admission, Self.settlement(.yuan(2)))
        let other = try Self.spend(ceiling: nil, folder: folder)
        #expect(other.budget(includeShared: true).shared?.spent(.day, .cny) == .yuan(2))
    }
}
