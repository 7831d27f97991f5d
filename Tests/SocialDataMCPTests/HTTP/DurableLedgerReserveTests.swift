import Catalog
import Foundation
import Locking
import Spend
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every paid call has a worst case: tools priced by the provider afterwards reserve the
/// largest charge recorded, else the documented one, else everything left.
@Suite struct DurableLedgerReserveTests {
    static let documented = Price.reportedByProvider(.cny, "per call", documented: .yuan(3))
    static let undocumented = Price.reportedByProvider(.cny, "per call")
    static let credits = Price.reportedByProvider(.credits, "credits per call")

    static func ledger(_ folder: String, daily: Double = 5, dailyCredits: Double? = nil) -> DurableLedger {
        var limits = SpendLimits()
        limits.set(.day, .yuan(daily), isDefault: false)
        if let dailyCredits { limits.set(.day, Money(dailyCredits, .credits), isDefault: false) }
        return DurableLedger(stateDirectory: folder, limits: limits)
    }

    static func admit(
        _ ledger: DurableLedger,
        _ price: Price,
        tool: String = "datatrust_get_model"
    ) throws
        -> DurableLedger.Hold?
    {
        try ledger.admit(CallCost(price: price, arguments: [:]), tool: tool, provider: "datatrust", argumentsHash: "h")
            .get()
    }

    static func settlement(_ cost: Money?, tool: String = "datatrust_get_model", failed: Bool = false) -> Settlement {
        Settlement(
            provider: "datatrust",
            tool: tool,
            currency: cost?.currency ?? .cny,
            cost: cost,
            items: 1,
            failed: failed,
            balance: nil
        )
    }

    @Test func aDocumentedChargeIsHeldSoPipelinedCallsCannotPassTheLimit() throws {
        let ledger = Self.ledger(try DurableLedgerTests.directory())
        let first = try #require(try Self.admit(ledger, Self.documented))
        #expect(first.amount == .yuan(3))
        #expect(first.basis == .documented)
        #expect(first.reserveNote?.contains("documented") == true)
        // ¥3 held, ¥2 left: a second call of ¥3 at worst must wait for the first.
        #expect(throws: BudgetRefusal.self) { try Self.admit(ledger, Self.documented) }
        try ledger.settle(first, Self.settlement(.yuan(1)))
        let second = try #require(try Self.admit(ledger, Self.documented))
        #expect(second.amount == .yuan(3), "the documented charge stays the floor")
        #expect(ledger.status().remaining(.day, .cny) == .yuan(1))
    }

    @Test func aChargeAboveItsReserveIsRecordedAsReportedAndBecomesTheReserve() throws {
        let ledger = Self.ledger(try DurableLedgerTests.directory(), daily: 100)
        let hold = try #require(try Self.admit(ledger, Self.documented))
        let settled = try ledger.settleReporting(hold, Self.settlement(.yuan(4.5)))
        #expect(settled.settlement.cost == .yuan(4.5))
        #expect(settled.notes.contains { $0.contains("more than the ¥3.00 held") }, "\(settled.notes)")
        #expect(settled.status.spent(.day, .cny) == .yuan(4.5))
        let next = try #require(try Self.admit(ledger, Self.documented))
        #expect(next.amount == .yuan(4.5))
        #expect(next.basis == .recorded)
        // Another process reading the same folder holds the same.
        let other = Self.ledger(String(ledger.directory.dropLast("/ledger".count)), daily: 100)
        #expect(try Self.admit(other, Self.documented)?.amount == .yuan(4.5))
    }

    @Test func withNoRecordedOrDocumentedChargeOneCallHoldsEverythingLeft() throws {
        let ledger = Self.ledger(try DurableLedgerTests.directory())
        let first = try #require(try Self.admit(ledger, Self.undocumented, tool: "datatrust_get_dataset"))
        #expect(first.basis == .rest)
        #expect(first.amount == .yuan(5))
        // Nothing is left for any other yuan call until it settles, in this process or another.
        #expect(throws: BudgetRefusal.self) { try Self.admit(ledger, Self.undocumented, tool: "datatrust_get_dataset") }
        #expect(throws: BudgetRefusal.self) { try Self.admit(ledger, Self.documented) }
        try ledger.settle(first, Self.settlement(.yuan(0.5), tool: "datatrust_get_dataset"))
        let second = try #require(try Self.admit(ledger, Self.undocumented, tool: "datatrust_get_dataset"))
        #expect(second.amount == .yuan(0.5), "the recorded charge is its reserve now")
        #expect(second.basis == .recorded)
    }

    @Test func creditsWithoutALimitHoldNothingAndWithOneHoldEverythingLeft() throws {
        let unlimited = Self.ledger(try DurableLedgerTests.directory())
        let free = try #require(try Self.admit(unlimited, Self.credits, tool: "creativault_search_tiktok"))
        #expect(free.amount == nil && free.basis == .none)
        let limited = Self.ledger(try DurableLedgerTests.directory(), dailyCredits: 50)
        let hold = try #require(try Self.admit(limited, Self.credits, tool: "creativault_search_tiktok"))
        #expect(hold.amount == Money(50, .credits))
        #expect(throws: BudgetRefusal.self) { try Self.admit(limited, Self.credits, tool: "creativault_search_tiktok") }
    }

    @Test func anUnsettledHoldOfAProviderPricedCallCountsAtItsReserve() throws {
        let folder = try DurableLedgerTests.directory()
        let ledger = Self.ledger(folder)
        let hold = try #require(try Self.admit(ledger, Self.documented))
        // The hold is on disk with its amount: a process that never settles still counts ¥3.
        let line = try String(contentsOfFile: ledger.directory + "/" + LedgerTestFiles.monthFile(), encoding: .utf8)
        let event = try #require(LedgerEvent(line: Array(line.split(separator: "\n")[0].utf8)))
        #expect(event.units == Money.yuan(3).units)
        #expect(event.processStart == ProcessIdentity.current.start)
        #expect(Self.ledger(folder).status().held(.day, .cny) == .yuan(3))
        _ = hold
    }

    @Test func aFailedProviderPricedCallThatMayHaveChargedCountsAtItsReserve() throws {
        let ledger = Self.ledger(try DurableLedgerTests.directory())
        let hold = try #require(try Self.admit(ledger, Self.documented))
        let settled = try ledger.settleReporting(hold, Self.settlement(nil, failed: true))
        #expect(settled.settlement.cost == .yuan(3))
        #expect(ledger.status().spent(.day, .cny) == .yuan(3))
    }

    @Test(arguments: [-1000.0, 1e300, 1e15, -.infinity])
    func anOutOfRangeChargeIsRecordedAtTheWorstCaseWithANote(_ charged: Double) throws {
        let ledger = Self.ledger(try DurableLedgerTests.directory())
        let hold = try #require(try Self.admit(ledger, Self.documented))
        let settled = try ledger.settleReporting(hold, Self.settlement(Money(charged, .cny)))
        #expect(settled.settlement.cost == .yuan(3))
        #expect(settled.notes.contains { $0.contains("out of range") }, "\(settled.notes)")
        let status = ledger.status()
        #expect(status.spent(.day, .cny) == .yuan(3), "never a credit, never a trap")
        #expect(status.remaining(.day, .cny) == .yuan(2))
        #expect(status.outOfRangeLines == 0, "what the ledger wrote is in range")
    }

    @Test func aCancellationAfterSendingNeverReleasesTheHold() throws {
        let ledger = Self.ledger(try DurableLedgerTests.directory())
        let unsent = try #require(try Self.admit(ledger, Self.documented))
        try ledger.release(unsent)
        #expect(ledger.status().spent(.day, .cny) == .zero(.cny), "never sent: released")
        let sent = try #require(try Self.admit(ledger, Self.documented))
        ledger.markSent(sent)
        let settled = try #require(try ledger.releaseReporting(sent))
        #expect(settled.settlement.cost == .yuan(3))
        #expect(ledger.status().spent(.day, .cny) == .yuan(3), "sent, then cancelled: counted at its worst case")
    }

    @Test func theProcessCeilingHoldsEverythingLeftForACallOfUnknownCost() throws {
        let ledger = SpendLedger(ceilings: [.cny: .yuan(5)])
        let first = try ledger.admit(currency: .cny, worstCase: nil).get()
        #expect(first.amount == .yuan(5))
        #expect(throws: BudgetRefusal.self) { try ledger.admit(currency: .cny, worstCase: nil).get() }
        ledger.settle(first, Self.settlement(Money(units: -10_000_000, .cny)))
        #expect(ledger.snapshot().overall.spent(.cny) == .yuan(5), "a negative charge counts at the reservation")
    }
}

/// Where the ledger's month file is, for tests that write it by hand.
enum LedgerTestFiles {
    static func monthFile(_ date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM"
        return formatter.string(from: date) + ".jsonl"
    }

    /// Writes `lines` (newline-terminated) as the month file of the ledger in `folder`.
    static func write(_ lines: [String], in ledgerDirectory: String) throws {
        try FileManager.default.createDirectory(atPath: ledgerDirectory, withIntermediateDirectories: true)
        let text = lines.map { $0 + "\n" }.joined()
        try Data(text.utf8).write(to: URL(fileURLWithPath: ledgerDirectory + "/" + monthFile()))
    }

    static func nowMilliseconds() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}
