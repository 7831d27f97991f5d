import Spend
import Testing

@Suite struct SpendLedgerTests {
    @Test func refusesAWorstCaseThatWouldPassTheCeiling() throws {
        let ledger = SpendLedger(ceilings: [.cny: .yuan(2)])
        let first = try ledger.admit(currency: .cny, worstCase: .yuan(1.6)).get()
        // The first call's worst case is held until it settles: parallel calls cannot both pass.
        guard case .failure(let refusal) = ledger.admit(currency: .cny, worstCase: .yuan(1.6)) else {
            Issue.record("admitted past the ceiling")
            return
        }
        #expect(refusal.reserved == .yuan(1.6))
        #expect(refusal.available == .yuan(0.4))
        ledger.settle(
            first,
            Settlement(
                provider: "datanexus",
                tool: "t",
                currency: .cny,
                cost: .yuan(0.4),
                items: 5,
                failed: false,
                balance: nil
            )
        )
        #expect(ledger.snapshot().overall.spent(.cny) == .yuan(0.4))
        #expect((try? ledger.admit(currency: .cny, worstCase: .yuan(1.6)).get()) != nil)
    }

    @Test func unknownCostsAreAdmittedWhileSomethingIsLeft() throws {
        let ledger = SpendLedger(ceilings: [.cny: .yuan(1)])
        let reservation = try ledger.admit(currency: .cny, worstCase: nil).get()
        ledger.settle(
            reservation,
            Settlement(
                provider: "datatrust",
                tool: "t",
                currency: .cny,
                cost: .yuan(1),
                items: 1,
                failed: false,
                balance: .yuan(47)
            )
        )
        #expect(throws: BudgetRefusal.self) { try ledger.admit(currency: .cny, worstCase: nil).get() }
        #expect(ledger.snapshot().balances["datatrust"] == .yuan(47))
    }

    @Test func totalsAreKeptByProviderAndTool() throws {
        let ledger = SpendLedger(ceilings: [:])
        for _ in 0..<3 {
            let reservation = try ledger.admit(currency: .cny, worstCase: .yuan(0.08)).get()
            ledger.settle(
                reservation,
                Settlement(
                    provider: "datanexus",
                    tool: "datanexus_get_author",
                    currency: .cny,
                    cost: .yuan(0.08),
                    items: 1,
                    failed: false,
                    balance: nil
                )
            )
        }
        ledger.recordCacheHit(provider: "datanexus", tool: "datanexus_get_author")
        let snapshot = ledger.snapshot()
        #expect(snapshot.byTool["datanexus_get_author"]?.calls == 3)
        #expect(snapshot.byProvider["datanexus"]?.spent(.cny) == .yuan(0.24))
        #expect(snapshot.overall.cacheHits == 1)
        #expect(snapshot.remaining(.cny) == nil)
        #expect(snapshot.reserved[.cny] == .zero(.cny))
    }

    @Test func cancelledReservationsAreReleased() throws {
        let ledger = SpendLedger(ceilings: [.cny: .yuan(1)])
        let reservation = try ledger.admit(currency: .cny, worstCase: .yuan(1)).get()
        ledger.cancel(reservation)
        #expect((try? ledger.admit(currency: .cny, worstCase: .yuan(1)).get()) != nil)
        #expect(ledger.snapshot().overall.calls == 0)
    }
}
