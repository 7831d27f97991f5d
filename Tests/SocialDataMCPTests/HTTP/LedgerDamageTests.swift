import Catalog
import Foundation
import Spend
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Damaged and hostile ledgers, reused pids, lost settles, checkpoints and file modes.
@Suite struct LedgerDamageTests {
    static func hold(
        id: String,
        pid: Int32,
        start: Int64?,
        units: Int64 = Money.yuan(3).units,
        time: Int64 = LedgerTestFiles.nowMilliseconds()
    ) -> String {
        let event = LedgerEvent(
            .hold,
            id: id,
            time: time,
            pid: pid,
            tool: "datatrust_get_model",
            provider: "datatrust",
            currency: .cny,
            units: units,
            processStart: start
        )
        return String(decoding: event.line.dropLast(), as: UTF8.self)
    }

    @Test func moneyArithmeticSaturatesAndProviderAmountsAreRangeChecked() {
        let top = Money(units: .max, .cny)
        #expect(top + .yuan(1) == top)
        #expect(Money(units: .min, .cny) - .yuan(1) == Money(units: .min, .cny))
        #expect(.zero(.cny) - Money(units: .min, .cny) == top)
        #expect(top.times(3) == top)
        #expect(Money(units: -5, .cny).times(Int.max) == Money(units: .min, .cny))
        #expect(Money(1e300, .cny) == top)
        #expect(Money(-1e300, .cny) == Money(units: .min, .cny))
        #expect(Money(.nan, .cny) == .zero(.cny))
        #expect(Money.checkedProviderAmount(3, .cny) == .yuan(3))
        #expect(Money.checkedProviderAmount(1_000_000, .cny) == .yuan(1_000_000))
        #expect(Money.checkedProviderAmount(1_000_000.01, .cny) == nil)
        #expect(Money.checkedProviderAmount(10_000_000, .credits) == Money(10_000_000, .credits))
        #expect(Money.checkedProviderAmount(-0.01, .cny) == nil)
        #expect(Money.checkedProviderAmount(1e300, .cny) == nil)
        #expect(Money.checkedProviderAmount(.infinity, .cny) == nil)
        #expect(Money.checkedProviderAmount(.nan, .cny) == nil)
    }

    @Test func linesWithAmountsNearInt64MaxAreSkippedAndCounted() throws {
        let folder = try DurableLedgerTests.directory()
        let ledger = DurableLedger(stateDirectory: folder, limits: DurableLedgerTests.limits(daily: 5))
        let now = LedgerTestFiles.nowMilliseconds()
        try LedgerTestFiles.write(
            [
                #"{"e":"settle","id":"a","t":\#(now),"pid":1,"cur":"cny","units":9223372036854775000}"#,
                #"{"e":"settle","id":"b","t":\#(now),"pid":1,"cur":"cny","units":9223372036854775000}"#,
                #"{"e":"settle","id":"c","t":\#(now),"pid":1,"cur":"cny","units":-10000000}"#,
                #"{"e":"settle","id":"d","t":\#(now),"pid":1,"cur":"cny","units":1e300}"#,
                #"{"e":"settle","id":"e","t":\#(now),"pid":1,"cur":"cny","units":8000}"#,
            ],
            in: ledger.directory
        )
        let status = ledger.status()
        #expect(status.outOfRangeLines == 4, "1e300 is no whole number of units: out of range too")
        #expect(status.unreadableLines == 0)
        #expect(status.spent(.day, .cny) == .yuan(0.8))
        #expect(try DurableLedgerTests.spend(ledger, pageSize: 20), "paid calls still work")
        let report = UsageReport.read(ledger, days: 1)
        #expect(report.days.last?.totals.spent(.cny) == .yuan(0.8 + 1.6))
        #expect(report.table.contains("4 ledger line(s) with an amount out of range"), "\(report.table)")
    }

    @Test func aHoldWhosePidWasReusedByAnotherProcessIsUnsettled() throws {
        let folder = try DurableLedgerTests.directory()
        let ledger = DurableLedger(stateDirectory: folder, limits: DurableLedgerTests.limits(daily: 5))
        let me = ProcessIdentity.current
        let start = try #require(me.start, "the start time of a process can be read")
        // This very pid, alive, but with another start time: the hold's owner is gone.
        try LedgerTestFiles.write(
            [
                Self.hold(id: "reused", pid: me.pid, start: start - 1),
                Self.hold(id: "mine", pid: me.pid, start: start, units: Money.yuan(1).units),
            ],
            in: ledger.directory
        )
        let status = ledger.status()
        #expect(status.unsettled.map(\.id) == ["reused"])
        #expect(status.spent(.day, .cny) == .yuan(3), "the dead hold counts at its reserve")
        #expect(status.held(.day, .cny) == .yuan(1), "the live one is in flight")
        #expect(ProcessIdentity(pid: me.pid, start: start).isRunning)
        #expect(!ProcessIdentity(pid: me.pid, start: start + 1).isRunning)
        #expect(ProcessIdentity(pid: getppid(), start: nil).isRunning)
        #expect(
            !ProcessIdentity(pid: getppid(), start: ProcessIdentity.startTime(of: getppid()).map { $0 + 7 }).isRunning
        )
    }

    @Test func anyOpenHoldCanBeClearedByItsId() throws {
        let folder = try DurableLedgerTests.directory()
        let ledger = DurableLedger(stateDirectory: folder, limits: DurableLedgerTests.limits(daily: 5))
        // A hold owned by a live process (the parent): not unsettled, yet the user may clear it.
        let parent = ProcessIdentity(pid: getppid(), start: ProcessIdentity.startTime(of: getppid()))
        try LedgerTestFiles.write([Self.hold(id: "stuck", pid: parent.pid, start: parent.start)], in: ledger.directory)
        #expect(ledger.status().held(.day, .cny) == .yuan(3))
        #expect(try ledger.clearUnsettled().isEmpty, "a live owner's hold is not cleared wholesale")
        #expect(try ledger.clearUnsettled(ids: ["stuck", "nope"]).map(\.id) == ["stuck"])
        #expect(ledger.status().remaining(.day, .cny) == .yuan(5))
    }

    @Test func aSettleLostBeforeReachingDiskLeavesTheHoldCountedAtItsWorstCase() throws {
        let folder = try DurableLedgerTests.directory()
        let ledger = DurableLedger(stateDirectory: folder, limits: DurableLedgerTests.limits(daily: 5))
        #expect(try DurableLedgerTests.spend(ledger, pageSize: 50), "¥4.00 held, ¥0.40 settled")
        let path = ledger.directory + "/" + LedgerTestFiles.monthFile()
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        // The settle is written without fsync: a power cut may lose it. Drop it.
        try Data((lines[0] + "\n").utf8).write(to: URL(fileURLWithPath: path))
        let after = DurableLedger(stateDirectory: folder, limits: DurableLedgerTests.limits(daily: 5)).status()
        #expect(after.spent(.day, .cny) + after.held(.day, .cny) == .yuan(4), "the ¥4.00 worst case still counts")
        #expect(after.remaining(.day, .cny) == .yuan(1))
    }

    @Test func aCheckpointLetsANewProcessReadOnlyTheTailAndAStaleOneIsIgnored() throws {
        let folder = try DurableLedgerTests.directory()
        let writer = DurableLedger(stateDirectory: folder, limits: DurableLedgerTests.limits(daily: 1_000_000))
        for _ in 0..<1_100 { try DurableLedgerTests.spend(writer, pageSize: 1) }
        writer.checkpoint()
        let checkpoint =
            writer.directory + "/"
            + LedgerTestFiles.monthFile().replacingOccurrences(
                of: ".jsonl",
                with: ".checkpoint"
            )
        #expect(FileManager.default.fileExists(atPath: checkpoint))
        try DurableLedgerTests.spend(writer, pageSize: 1)  // a tail after the checkpoint
        let reader = DurableLedger(stateDirectory: folder, limits: DurableLedgerTests.limits(daily: 1_000_000))
        #expect(reader.status().spent(.day, .cny) == Money.yuan(0.08).times(1_101))

        // The month file replaced by another (a restore from backup): the checkpoint no
        // longer describes it and the month is read in full.
        let path = writer.directory + "/" + LedgerTestFiles.monthFile()
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").prefix(20)
        try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        let fresh = DurableLedger(stateDirectory: folder, limits: DurableLedgerTests.limits(daily: 1_000_000))
        #expect(fresh.status().spent(.day, .cny) == Money.yuan(0.08).times(10))
        // The process that kept its descriptor notices the new file too.
        #expect(writer.status().spent(.day, .cny) == Money.yuan(0.08).times(10))

        // A checkpoint that is not one (damaged) is ignored as well.
        try Data("{\"v\":1,".utf8).write(to: URL(fileURLWithPath: checkpoint))
        let again = DurableLedger(stateDirectory: folder, limits: DurableLedgerTests.limits(daily: 1_000_000))
        #expect(again.status().spent(.day, .cny) == Money.yuan(0.08).times(10))
    }

    @Test func ledgerFilesArePrivateAndNeverFollowASymlink() throws {
        let folder = try DurableLedgerTests.directory()
        let ledger = DurableLedger(stateDirectory: folder + "/state", limits: DurableLedgerTests.limits(daily: 5))
        #expect(try DurableLedgerTests.spend(ledger, pageSize: 1))
        func mode(_ path: String) -> mode_t {
            var status = stat()
            lstat(path, &status)
            return status.st_mode & 0o777
        }
        #expect(mode(ledger.directory) == 0o700)
        #expect(mode(folder + "/state") == 0o700)
        #expect(mode(ledger.directory + "/" + LedgerTestFiles.monthFile()) == 0o600)
        #expect(mode(ledger.directory + "/ledger.lock") == 0o600)

        let other = try DurableLedgerTests.directory()
        try FileManager.default.createDirectory(atPath: other + "/ledger", withIntermediateDirectories: true)
        let target = other + "/elsewhere"
        try Data().write(to: URL(fileURLWithPath: target))
        symlink(target, other + "/ledger/" + LedgerTestFiles.monthFile())
        let planted = DurableLedger(stateDirectory: other, limits: DurableLedgerTests.limits(daily: 5))
        #expect(throws: LedgerError.self) { try DurableLedgerTests.spend(planted, pageSize: 1) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)).isEmpty, "nothing written through the link")
    }

    @Test func concurrentAdmitsInOneProcessNeverPassTheLimit() async throws {
        let ledger = DurableLedger(
            stateDirectory: try DurableLedgerTests.directory(),
            limits: DurableLedgerTests.limits(daily: 5)
        )
        let admitted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<40 { group.addTask { try DurableLedgerTests.spend(ledger, pageSize: 10) } }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(admitted == 6)
        #expect(ledger.status().spent(.day, .cny) == .yuan(4.8))
    }

    @Test func pipelinedAsyncAdmitsShareFlushesAndNeverPassTheLimit() async throws {
        let folder = try DurableLedgerTests.directory()
        let ledger = DurableLedger(stateDirectory: folder, limits: DurableLedgerTests.limits(daily: 5))
        let holds = await withTaskGroup(of: DurableLedger.Hold?.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    // A refusal (the limit) or a ledger error is no hold.
                    try? await ledger.admitDurably(
                        DurableLedgerTests.cost(10),
                        tool: "t",
                        provider: "p",
                        argumentsHash: "h"
                    ).get()
                }
            }
            return await group.reduce(into: [DurableLedger.Hold]()) { holds, hold in
                if let hold { holds.append(hold) }
            }
        }
        #expect(holds.count == 6, "six ¥0.80 holds fit under ¥5")
        // Every admitted hold is on disk for another process to count.
        let other = DurableLedger(stateDirectory: folder, limits: DurableLedgerTests.limits(daily: 5)).status()
        #expect(other.held(.day, .cny) == .yuan(4.8))
    }

    /// Random and mutated lines: the scanner, the fold, `status` and `usage` never trap.
    @Test(arguments: [1, 2, 3, 4])
    func randomAndMutatedLinesNeverCrashTheLedger(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let now = LedgerTestFiles.nowMilliseconds()
        let seeds = [
            Self.hold(id: "x", pid: 1, start: 5),
            #"{"e":"settle","id":"x","t":\#(now),"pid":1,"tool":"t","cur":"cny","units":8000,"items":2,"failed":false}"#,
            #"{"e":"release","id":"y","t":\#(now),"pid":1}"#,
            #"{"e":"cache","t":\#(now),"pid":1,"tool":"t"}"#,
        ]
        let alphabet = Array(#"{}[]":,-0123456789e.Eabcdefghijklmnopqrstuvwxyz\u "#.utf8) + [0, 0xFF, 0xC3, 0x0D]
        var lines: [[UInt8]] = []
        for _ in 0..<2_000 {
            var line = Array(seeds[Int(random.next() % UInt64(seeds.count))].utf8)
            switch random.next() % 4 {
            case 0:
                line = (0..<Int(random.next() % 120)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            case 1:
                for _ in 0..<Int(1 + random.next() % 4) where !line.isEmpty {
                    line[Int(random.next() % UInt64(line.count))] =
                        alphabet[Int(random.next() % UInt64(alphabet.count))]
                }
            case 2:
                let near = Int64.max - Int64(random.next() % 1000)
                let digits = random.next() % 2 == 0 ? String(near) : "-" + String(near) + "9"
                line = Array(String(decoding: line, as: UTF8.self).replacingOccurrences(of: "8000", with: digits).utf8)
            default:
                line = Array(line.prefix(Int(random.next() % UInt64(line.count + 1))))
            }
            lines.append(line.filter { $0 != 0x0A })
        }
        let folder = try DurableLedgerTests.directory()
        let ledger = DurableLedger(stateDirectory: folder, limits: DurableLedgerTests.limits(daily: 5))
        try FileManager.default.createDirectory(atPath: ledger.directory, withIntermediateDirectories: true)
        let bytes: [UInt8] = lines.reduce(into: []) { $0 += $1 + [0x0A] }
        try Data(bytes).write(to: URL(fileURLWithPath: ledger.directory + "/" + LedgerTestFiles.monthFile()))
        let status = ledger.status()
        #expect(status.spent(.day, .cny).units >= 0)
        #expect(status.unreadableLines + status.outOfRangeLines > 0)
        _ = UsageReport.read(ledger, days: 2).table
        _ = try DurableLedgerTests.spend(ledger, pageSize: 1)
        for line in lines { _ = LedgerEvent(line: line) }
    }
}

/// A small deterministic generator (SplitMix64), so a failing seed can be replayed.
struct SeededRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
