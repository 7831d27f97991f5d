import Catalog
import Foundation
import Spend
import Testing
import Wire

/// Per-member running totals and admission: a member's own limits beside the team's,
/// checked under the same lock, carried on every line, kept in the checkpoint.
@Suite struct DurableLedgerMemberTests {
    static let alice = MemberBudget(name: "alice", dailyCNY: 1)
    static let bob = MemberBudget(name: "bob")

    static func ledger(_ folder: String, teamDaily: Double = 50) -> DurableLedger {
        DurableLedger(stateDirectory: folder, limits: DurableLedgerTests.limits(daily: teamDaily))
    }

    /// Admits and settles a one-item ¥0.08 call for `member`; the refusal when refused.
    @discardableResult
    static func spend(_ ledger: DurableLedger, _ member: MemberBudget?) throws -> BudgetRefusal? {
        let cost = DurableLedgerTests.cost(1)
        switch try ledger.admit(cost, tool: "t", provider: "p", argumentsHash: "h", member: member) {
        case .failure(let refusal): return refusal
        case .success(let hold):
            let charge = Charge(cost: cost.worstCase, basis: "test", items: 1)
            try ledger.settle(hold, cost.settlement(of: charge, provider: "p", tool: "t", failed: false, balance: nil))
            return nil
        }
    }

    static func monthFile(_ ledger: DurableLedger) throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: ledger.directory).filter {
            $0.hasSuffix(".jsonl")
        }
        let name = try #require(names.first)
        let text = try String(contentsOfFile: ledger.directory + "/" + name, encoding: .utf8)
        return text.split(separator: "\n").map(String.init)
    }

    @Test func aMembersOwnDailyLimitRefusesTheThirteenthCallWhileAnotherMemberSpends() throws {
        let ledger = Self.ledger(try DurableLedgerTests.directory())
        for call in 1...12 { #expect(try Self.spend(ledger, Self.alice) == nil, "call \(call) fits ¥1") }
        let refusal = try #require(try Self.spend(ledger, Self.alice), "¥0.96 + ¥0.08 passes alice's ¥1")
        #expect(refusal.isMembersOwn && refusal.member == "alice" && refusal.scope == .day)
        #expect(refusal.limit == .yuan(1) && refusal.spent == .yuan(0.96) && refusal.available == .yuan(0.04))
        #expect(refusal.phrase == "alice's own daily limit")
        #expect(try Self.spend(ledger, Self.bob) == nil, "bob has no limit of his own; the team's ¥50 is far")
        let (team, own) = ledger.status(member: Self.alice)
        #expect(team.spent(.day, .cny) == .yuan(1.04) && own.spent(.day, .cny) == .yuan(0.96))
        #expect(own.remaining(.day, .cny) == .yuan(0.04))
        #expect(ledger.status(member: Self.bob).member.spent(.day, .cny) == .yuan(0.08))
    }

    @Test func theTeamsLimitRefusesAMemberWithRoomOfTheirOwn() throws {
        let ledger = Self.ledger(try DurableLedgerTests.directory(), teamDaily: 0.5)
        for _ in 1...3 { try Self.spend(ledger, nil) }  // ¥0.24 over stdio
        for _ in 1...3 { #expect(try Self.spend(ledger, Self.alice) == nil) }
        let refusal = try #require(try Self.spend(ledger, Self.alice))
        #expect(!refusal.isMembersOwn && refusal.member == "alice" && refusal.limit == .yuan(0.5))
        #expect(refusal.spent == .yuan(0.48) && refusal.available == .yuan(0.02))
        #expect(refusal.phrase == "the team's daily limit (shared by every member)")
        #expect(ledger.status(member: Self.alice).member.spent(.day, .cny) == .yuan(0.24))
    }

    @Test func concurrentAdmitsOfSeparateInstancesNeverPassAMembersLimit() async throws {
        let folder = try DurableLedgerTests.directory()
        // Each instance has its own descriptors and flock, as separate processes do.
        let ledgers = (0..<4).map { _ in Self.ledger(folder) }
        let (alice, bob) = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for ledger in ledgers {
                group.addTask {
                    var counts = (0, 0)
                    for _ in 0..<8 {
                        if try Self.spend(ledger, Self.alice) == nil { counts.0 += 1 }
                        if try Self.spend(ledger, Self.bob) == nil { counts.1 += 1 }
                    }
                    return counts
                }
            }
            return try await group.reduce((0, 0)) { ($0.0 + $1.0, $0.1 + $1.1) }
        }
        #expect(alice == 12, "twelve ¥0.08 calls fit alice's ¥1, from every instance together")
        #expect(bob == 32, "bob's calls never wait on alice's limit")
        let fresh = Self.ledger(folder)
        #expect(fresh.status(member: Self.alice).member.spent(.day, .cny) == .yuan(0.96))
        #expect(fresh.status().spent(.day, .cny) == .yuan(0.08 * 44))
    }

    @Test func everyLineOfAMembersCallCarriesTheMemberAndOldLinesStayValid() throws {
        let ledger = Self.ledger(try DurableLedgerTests.directory())
        try Self.spend(ledger, Self.alice)
        let cost = DurableLedgerTests.cost(1)
        guard
            case .success(let hold) = try ledger.admit(
                cost,
                tool: "t",
                provider: "p",
                argumentsHash: "h",
                member: Self.bob
            )
        else {
            Issue.record("bob's call was refused")
            return
        }
        try ledger.release(hold)
        ledger.recordCacheHit(tool: "t", provider: "p", member: "bob")
        try Self.spend(ledger, nil)
        let events = try Self.monthFile(ledger).compactMap { LedgerEvent(line: Array($0.utf8)) }
        #expect(events.map(\.kind) == [.hold, .settle, .hold, .release, .cache, .hold, .settle])
        #expect(events.map(\.member) == ["alice", "alice", "bob", "bob", "bob", nil, nil])
        // A line written before members existed reads as before, and counts for the team only.
        let old = #"{"e":"settle","t":\#(Int64(Date().timeIntervalSince1970 * 1000)),"pid":1,"cur":"cny","units":800}"#
        let event = try #require(LedgerEvent(line: Array(old.utf8)))
        #expect(event.member == nil && event.amount == .yuan(0.08))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: ledger.directory + "/" + currentMonth()))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((old + "\n").utf8))
        try handle.close()
        #expect(ledger.status().spent(.day, .cny) == .yuan(0.24))
        #expect(ledger.status(member: Self.alice).member.spent(.day, .cny) == .yuan(0.08))
    }

    @Test(arguments: [
        #"{"e":"hold","id":"1-2-3","t":5,"pid":7,"tool":"t","cur":"cny","units":800,"member":"a.b_c-d@e"}"#,
        #"{"e":"settle","id":"1","t":5,"pid":7,"units":null,"member":"x"}"#,
        #"{"member":"esc\u0061ped","e":"cache","t":5,"pid":7}"#,
    ])
    func theScannerAndTheParserReadTheMember(_ line: String) throws {
        let event = try #require(LedgerEvent(line: Array(line.utf8)))
        let parsed = try JSONParser.parse(Array(line.utf8))
        #expect(event.member == parsed["member"]?.stringValue)
        #expect(LedgerEvent(line: event.line.dropLast()) == event, "written back, it reads the same")
    }

    @Test(arguments: ["", "-lead", "a\"b", "a\\b", "名前", "a b", "a\nb", String(repeating: "a", count: 65)])
    func aNameTheLedgerCannotRecordIsRefusedBeforeAnythingIsWritten(_ name: String) throws {
        #expect(!MemberName.isValid(name))
        let ledger = Self.ledger(try DurableLedgerTests.directory())
        #expect(throws: LedgerError.self) {
            try Self.spend(ledger, MemberBudget(name: name, dailyCNY: 1))
        }
        #expect(ledger.status().spent(.day, .cny) == .zero(.cny))
    }

    @Test func theCheckpointKeepsEachMembersTotals() throws {
        let folder = try DurableLedgerTests.directory()
        let ledger = Self.ledger(folder)
        for _ in 1...5 { try Self.spend(ledger, Self.alice) }
        try Self.spend(ledger, Self.bob)
        ledger.checkpoint()
        let checkpoint = try String(
            contentsOfFile: ledger.directory + "/"
                + currentMonth().replacingOccurrences(of: ".jsonl", with: ".checkpoint"),
            encoding: .utf8
        )
        let document = try JSONParser.parse(Array(checkpoint.utf8))
        #expect(document["v"]?.intValue == 2)
        #expect(document["member_days"]?["alice"] != nil && document["member_months"]?["bob"] != nil)
        let fresh = Self.ledger(folder)
        #expect(fresh.status(member: Self.alice).member.spent(.day, .cny) == .yuan(0.4))
        #expect(fresh.status(member: Self.bob).member.spent(.month, .cny) == .yuan(0.08))
        for _ in 1...7 { #expect(try Self.spend(fresh, Self.alice) == nil) }
        #expect(try Self.spend(fresh, Self.alice) != nil, "the checkpoint's ¥0.40 still counts")
    }

    private func currentMonth() -> String {
        let parts = Calendar.current.dateComponents([.year, .month], from: Date())
        return String(format: "%04d-%02d.jsonl", parts.year ?? 0, parts.month ?? 0)
    }
}
