import Catalog
import Foundation
import Locking
import Spend
import Testing

@Suite struct DurableLedgerTests {
    static let pageSize = Parameter("page_size", .integer(1...100), "Items per page.", default: 20, in: .query)
    static let price = Price.perItem(
        .yuan(0.08),
        unit: "item",
        maximum: .argument(pageSize),
        counted: .array(at: ["items"])
    )

    static func cost(_ pageSize: Int) -> CallCost {
        CallCost(price: price, arguments: ["page_size": .int(pageSize)])
    }

    static func directory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    static func limits(daily: Double) -> SpendLimits {
        var limits = SpendLimits()
        limits.set(.day, .yuan(daily), isDefault: false)
        return limits
    }

    /// Spends a whole page: holds its worst case and settles at it.
    @discardableResult
    static func spend(_ ledger: DurableLedger, pageSize: Int) throws -> Bool {
        let cost = Self.cost(pageSize)
        guard case .success(let hold) = try ledger.admit(cost, tool: "t", provider: "p", argumentsHash: "h") else {
            return false
        }
        let charge = Charge(cost: cost.worstCase, basis: "test", items: pageSize)
        try ledger.settle(hold, cost.settlement(of: charge, provider: "p", tool: "t", failed: false, balance: nil))
        return true
    }

    @Test func theDailyLimitRollsOverAtLocalMidnight() throws {
        let shanghai = try #require(TimeZone(identifier: "Asia/Shanghai"))
        // 23:59:30 in Shanghai is 15:59:30 UTC.
        let now = Locked(try #require(ISO8601DateFormatter().date(from: "2026-11-23T15:59:30Z")))
        let ledger = DurableLedger(
            stateDirectory: try Self.directory(),
            limits: Self.limits(daily: 5),
            clock: { now.withLock { $0 } },
            timeZone: shanghai
        )
        #expect(try Self.spend(ledger, pageSize: 50))  // ¥4.00
        #expect(try !Self.spend(ledger, pageSize: 20), "¥1.60 more would pass ¥5 today")
        now.withLock { $0 += 60 }  // 00:00:30 the next day in Shanghai, still the 23rd in UTC
        #expect(ledger.status().spent(.day, .cny) == .zero(.cny))
        #expect(ledger.status().spent(.month, .cny) == .yuan(4))
        #expect(try Self.spend(ledger, pageSize: 20), "a new local day")
    }

    @Test func separateInstancesRacingOnOneFolderNeverPassTheLimit() async throws {
        let folder = try Self.directory()
        // Each instance opens its own descriptors, as separate processes do.
        let ledgers = (0..<4).map { _ in DurableLedger(stateDirectory: folder, limits: Self.limits(daily: 5)) }
        let admitted = try await withThrowingTaskGroup(of: Int.self) { group in
            for ledger in ledgers {
                group.addTask {
                    var count = 0
                    for _ in 0..<20 where try Self.spend(ledger, pageSize: 10) { count += 1 }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(admitted == 6, "six ¥0.80 pages fit under ¥5")
        #expect(
            DurableLedger(stateDirectory: folder, limits: Self.limits(daily: 5)).status().spent(.day, .cny)
                == .yuan(4.8)
        )
    }

    @Test func aHoldOfAProcessThatIsGoneIsUnsettledUntilCleared() throws {
        let folder = try Self.directory()
        let ledger = DurableLedger(stateDirectory: folder, limits: Self.limits(daily: 5))
        #expect(ledger.status().unsettled.isEmpty)
        // A hold written by a process id that no longer runs, with no settle.
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let hold = LedgerEvent(
            .hold,
            id: "dead",
            time: now,
            pid: Int32.max - 7,
            tool: "datanexus_list_works",
            provider: "datanexus",
            currency: .cny,
            units: Money.yuan(4).units
        )
        let name = ledger.directory + "/" + currentMonthFile()
        try FileManager.default.createDirectory(atPath: ledger.directory, withIntermediateDirectories: true)
        try Data(hold.line).write(to: URL(fileURLWithPath: name))
        let status = ledger.status()
        #expect(status.unsettled.map(\.id) == ["dead"])
        #expect(status.spent(.day, .cny) == .yuan(4), "counted at its worst case: the provider may have charged")
        #expect(try !Self.spend(ledger, pageSize: 20))
        #expect(try ledger.clearUnsettled().map(\.id) == ["dead"])
        #expect(ledger.status().spent(.day, .cny) == .zero(.cny))
    }

    @Test func eventsRoundTripThroughALine() throws {
        let event = LedgerEvent(
            .settle,
            id: "1-2-3",
            time: 1_790_000_000_000,
            pid: 42,
            tool: "tikomni_douyin_item_list",
            provider: "tikomni",
            currency: .credits,
            units: nil,
            items: 3,
            failed: false,
            balanceUnits: 120_000
        )
        #expect(LedgerEvent(line: event.line.dropLast()) == event)
        #expect(LedgerEvent(line: Array(#"{"e":"settle","t":1"#.utf8)) == nil)
    }

    private func currentMonthFile() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM"
        return formatter.string(from: Date()) + ".jsonl"
    }
}

/// The ledger's fast line scanner reads what the full JSON parser reads.
@Suite struct LedgerLineTests {
    @Test(arguments: [
        #"{"e":"hold","id":"1-2-3","t":1790000000000,"pid":42,"tool":"datanexus_list_works","provider":"datanexus","args":"0123456789abcdef","cur":"cny","units":16000}"#,
        #"{"e":"settle","id":"1-2-3","t":1790000000500,"pid":42,"cur":"cny","units":null,"items":0,"failed":true}"#,
        #" { "e" : "cache" , "t" : 5 , "pid" : -1 , "tool" : "x" } "#,
        #"{"e":"settle","id":"1-2-3","t":1,"pid":1,"tool":"caf\u00e9","cur":"credits","units":2.0,"balance_units":3}"#,
    ])
    func theScannerAgreesWithTheParser(_ line: String) throws {
        let event = try #require(LedgerEvent(line: Array(line.utf8)))
        // Re-encoded by the ledger and read again: the same event.
        #expect(LedgerEvent(line: event.line.dropLast()) == event)
    }

    @Test(arguments: [
        #"{"e":"hold","t":1"#, #"{"e":"bogus","t":1,"pid":1}"#, "[]", "", #"{"t":1,"pid":1}"#, "{}", "nonsense",
    ])
    func linesThatAreNoEventAreUnreadable(_ line: String) {
        #expect(LedgerEvent(line: Array(line.utf8)) == nil)
    }
}
