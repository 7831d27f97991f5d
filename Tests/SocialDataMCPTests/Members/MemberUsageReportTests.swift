import Catalog
import Foundation
import Spend
import Testing
import Wire

/// `usage --by member` in its three formats, read back with a parser rather than by eye.
@Suite struct MemberUsageReportTests {
    /// RFC 4180 as a spreadsheet reads it: quoted fields, doubled quotes, CRLF rows.
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var characters = Array(text.unicodeScalars)[...]
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" {
                        field.unicodeScalars.append(characters.removeFirst())
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                row.append(field)
                field = ""
            } else if character == "\r", characters.first == "\n" {
                characters.removeFirst()
                row.append(field)
                rows.append(row)
                (row, field) = ([], "")
            } else {
                field.unicodeScalars.append(character)
            }
        }
        return rows
    }

    /// A ledger with alice's, bob's and a stdio call's spend today, and a cache hit of alice's.
    static func report() throws -> (MemberUsageReport, DurableLedger) {
        let ledger = DurableLedgerMemberTests.ledger(try DurableLedgerTests.directory())
        for _ in 1...3 { try DurableLedgerMemberTests.spend(ledger, DurableLedgerMemberTests.alice) }
        try DurableLedgerMemberTests.spend(ledger, DurableLedgerMemberTests.bob)
        try DurableLedgerMemberTests.spend(ledger, nil)
        ledger.recordCacheHit(tool: "t", provider: "p", member: "alice")
        let today = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        let carol = MemberBudget(name: "carol", monthlyCNY: 30)
        let report = try #require(
            MemberUsageReport.read(
                ledger,
                from: today,
                to: today,
                known: [DurableLedgerMemberTests.alice, carol]
            )
        )
        return (report, ledger)
    }

    @Test func eachMemberLocalCallsAndTheTotalAreCountedOnce() throws {
        let (report, _) = try Self.report()
        #expect(report.members.map(\.label) == ["alice", "carol", "bob", MemberUsageReport.localName])
        let byLabel = Dictionary(uniqueKeysWithValues: report.members.map { ($0.label, $0) })
        #expect(byLabel["alice"]?.totals.calls == 3 && byLabel["alice"]?.totals.spent(.cny) == .yuan(0.24))
        #expect(byLabel["alice"]?.totals.cacheHits == 1)
        #expect(byLabel["carol"]?.totals.calls == 0, "a member who spent nothing is still listed, with limits")
        #expect(byLabel["bob"]?.limits == nil, "no longer a member: no limits known")
        #expect(byLabel["(local)"]?.name == nil && byLabel["(local)"]?.totals.spent(.cny) == .yuan(0.08))
        #expect(report.total.calls == 5 && report.total.spent(.cny) == .yuan(0.4))
    }

    @Test func theJSONParsesAndAddsUp() throws {
        let (report, _) = try Self.report()
        let document = try JSONParser.parse(Array(report.json.prettyJSONText.utf8))
        let members = try #require(document["members"]?.arrayValue)
        #expect(members.map { $0["label"]?.stringValue } == ["alice", "carol", "bob", "(local)"])
        #expect(members[0]["daily_limit_cny"]?.doubleValue == 1 && members[1]["monthly_limit_cny"]?.doubleValue == 30)
        #expect(members[3]["member"] == .null)
        let days = try #require(members[0]["days"]?.arrayValue)
        #expect(days.count == 1 && days[0]["tools"]?.arrayValue?.first?["tool"]?.stringValue == "t")
        #expect(days[0]["spent_cny"]?.doubleValue == 0.24 && days[0]["cache_hits"]?.intValue == 1)
        let sum = members.compactMap { $0["spent_cny"]?.doubleValue }.reduce(0, +)
        #expect(abs(sum - (document["total"]?["spent_cny"]?.doubleValue ?? -1)) < 1e-9)
        #expect(document["from"] == document["to"] && document["by"]?.stringValue == "member")
    }

    @Test func theCSVParsesOneRowPerDayMemberAndTool() throws {
        let (report, _) = try Self.report()
        let rows = Self.parseCSV(report.csv)
        #expect(rows.first?.prefix(4) == ["date", "member", "provider", "tool"])
        let body = rows.dropFirst()
        #expect(body.map { $0[1] } == ["(local)", "alice", "bob"], "sorted by day, then member")
        #expect(body.allSatisfy { $0.count == rows.first?.count })
        let alice = try #require(body.first { $0[1] == "alice" })
        #expect(alice[4] == "3" && alice[6] == "1" && alice[9] == "0.24")
        let total = body.compactMap { Double($0[9]) }.reduce(0, +)
        #expect(abs(total - 0.4) < 1e-9)
    }

    @Test func aProviderOrToolWithACommaOrQuoteIsQuoted() throws {
        let ledger = DurableLedgerMemberTests.ledger(try DurableLedgerTests.directory())
        ledger.recordCacheHit(tool: "odd, \"tool\"", provider: "p", member: "alice")
        let today = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        let report = try #require(MemberUsageReport.read(ledger, from: today, to: today))
        let rows = Self.parseCSV(report.csv)
        #expect(rows.count == 2 && rows[1][3] == "odd, \"tool\"" && rows[1][1] == "alice")
    }

    @Test func theTableNamesEveryMemberTheirLimitsAndTheTotal() throws {
        let (report, _) = try Self.report()
        let lines = report.table.split(separator: "\n").map(String.init)
        let alice = try #require(lines.first { $0.hasPrefix("alice ") })
        #expect(alice.contains("¥0.24") && alice.contains("¥1.00"))
        #expect(lines.contains { $0.hasPrefix("carol ") && $0.contains("¥30.00") })
        #expect(lines.contains { $0.hasPrefix("(local) ") && $0.contains("¥0.08") })
        #expect(lines.contains { $0.hasPrefix("total ") && $0.contains("¥0.40") })
        #expect(lines.contains("alice:") && !lines.contains("carol:"), "days only for members who spent")
    }

    @Test func aRangeOutsideTheSpendIsEmptyAndAnInvertedOneIsNone() throws {
        let (_, ledger) = try Self.report()
        let yesterday = Calendar.current.dateComponents(
            [.year, .month, .day],
            from: Date().addingTimeInterval(-86_400)
        )
        let report = try #require(MemberUsageReport.read(ledger, from: yesterday, to: yesterday))
        #expect(report.members.isEmpty && report.total.calls == 0)
        let today = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        #expect(MemberUsageReport.read(ledger, from: today, to: yesterday) == nil)
    }
}
