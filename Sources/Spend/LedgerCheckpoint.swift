import Catalog
import Foundation
import Wire

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The folded ledger saved beside the month file (`2026-11.checkpoint`): totals, open
/// holds, largest charges, and how far each file was read, so that a new process reads
/// only the tail instead of the whole month.
///
/// It is only a cache. Written atomically (a private temporary file, then `rename`); on
/// load it must name the same files, the same inodes, offsets that still end a line and
/// the same bytes before them, or it is ignored and the month is scanned in full.
struct LedgerCheckpoint {
    /// How far one file was folded.
    struct Mark: Equatable {
        var name: String
        var offset: Int
        /// `nil` when the file did not exist.
        var identity: LedgerFiles.Identity?
        /// A hash of up to 64 bytes before `offset`, to notice a file rewritten in place.
        var fingerprint: UInt64
    }

    /// 2: members' totals and the member of each open hold (a version 1 checkpoint has
    /// neither, so the month is read again in full, once).
    static let version = 2
    /// Written again after this many new events (and on `DurableLedger.checkpoint()`).
    static let interval = 512

    var timeZone: String
    var marks: [Mark]
    var totals: LedgerTotals

    /// The checkpoint's file name for a month file.
    static func name(for monthFile: String) -> String {
        String(monthFile.dropLast(".jsonl".count)) + ".checkpoint"
    }

    /// FNV-1a over the bytes just before `offset` of an open file.
    static func fingerprint(_ descriptor: Int32, before offset: Int) -> UInt64 {
        let count = min(offset, 64)
        guard count > 0 else { return 0 }
        var bytes = [UInt8](repeating: 0, count: count)
        let read = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, off_t(offset - count)) }
        guard read == count else { return 1 }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    /// The checkpoint as one JSON document.
    var bytes: [UInt8] {
        func amounts(_ map: [Int64: [Money.Currency: Money]]) -> JSONValue {
            var object: [String: JSONValue] = [:]
            for (start, byCurrency) in map {
                var inner: [String: JSONValue] = [:]
                for (currency, money) in byCurrency { inner[currency.rawValue] = .int(Int(money.units)) }
                object[String(start)] = .object(inner)
            }
            return .object(object)
        }
        var largest: [String: JSONValue] = [:]
        for (tool, money) in totals.largest {
            largest[tool] = ["cur": .string(money.currency.rawValue), "units": .int(Int(money.units))]
        }
        let open: [JSONValue] = totals.open.values.sorted { $0.id < $1.id }.map { hold in
            let event = LedgerEvent(
                .hold,
                id: hold.id,
                time: hold.time,
                pid: hold.pid,
                tool: hold.tool,
                provider: hold.provider,
                currency: hold.currency,
                units: hold.amount?.units,
                processStart: hold.processStart,
                basis: hold.basis,
                member: hold.member
            )
            return .string(String(decoding: event.line.dropLast(), as: UTF8.self))
        }
        let marks: [JSONValue] = self.marks.map { mark in
            [
                "name": .string(mark.name), "offset": .int(mark.offset),
                "dev": mark.identity.map { .string(String($0.device)) } ?? .null,
                "ino": mark.identity.map { .string(String($0.inode)) } ?? .null,
                "fp": .string(String(mark.fingerprint)),
            ]
        }
        let document: JSONValue = [
            "v": .int(Self.version), "tz": .string(timeZone), "files": .array(marks),
            "days": amounts(totals.byDay), "months": amounts(totals.byMonth), "largest": .object(largest),
            "open": .array(open), "unreadable": .int(totals.unreadable), "out_of_range": .int(totals.outOfRange),
            "events": .int(totals.events),
            "member_days": .object(totals.byMemberDay.mapValues(amounts)),
            "member_months": .object(totals.byMemberMonth.mapValues(amounts)),
        ]
        return document.jsonBytes
    }

    /// Reads a checkpoint; `nil` for anything that is not one this version wrote.
    init?(bytes: [UInt8], calendar: Calendar) {
        guard let document = try? JSONParser.parse(bytes), document["v"]?.intValue == Self.version,
            let timeZone = document["tz"]?.stringValue, let files = document["files"]?.arrayValue
        else { return nil }
        var marks: [Mark] = []
        for file in files {
            guard let name = file["name"]?.stringValue, let offset = file["offset"]?.intValue, offset >= 0,
                let fingerprint = file["fp"]?.stringValue.flatMap({ UInt64($0) })
            else { return nil }
            var identity: LedgerFiles.Identity?
            if let device = file["dev"]?.stringValue.flatMap({ UInt64($0) }),
                let inode = file["ino"]?.stringValue.flatMap({ UInt64($0) })
            {
                identity = LedgerFiles.Identity(device: device, inode: inode)
            }
            marks.append(Mark(name: name, offset: offset, identity: identity, fingerprint: fingerprint))
        }
        func amounts(_ value: JSONValue?) -> [Int64: [Money.Currency: Money]]? {
            guard let object = value?.objectValue else { return nil }
            var map: [Int64: [Money.Currency: Money]] = [:]
            for (key, inner) in object {
                guard let start = Int64(key), let members = inner.objectValue else { return nil }
                for (code, units) in members {
                    guard let currency = Money.Currency(rawValue: code), let units = units.intValue else { return nil }
                    let money = Money(units: Int64(units), currency)
                    guard units >= 0 else { return nil }
                    map[start, default: [:]][currency] = money
                }
            }
            return map
        }
        var totals = LedgerTotals(calendar: LedgerCalendar(calendar: calendar))
        guard let days = amounts(document["days"]), let months = amounts(document["months"]),
            let largest = document["largest"]?.objectValue, let open = document["open"]?.arrayValue
        else { return nil }
        totals.byDay = days
        totals.byMonth = months
        for (key, target) in [("member_days", \LedgerTotals.byMemberDay), ("member_months", \.byMemberMonth)] {
            guard let members = document[key]?.objectValue else { return nil }
            for (member, value) in members {
                guard let map = amounts(value) else { return nil }
                totals[keyPath: target][member] = map
            }
        }
        for (tool, value) in largest {
            guard let currency = value["cur"]?.stringValue.flatMap(Money.Currency.init(rawValue:)),
                let units = value["units"]?.intValue
            else { return nil }
            let money = Money(units: Int64(units), currency)
            guard money.isSaneAmount else { return nil }
            totals.largest[tool] = money
        }
        for line in open {
            guard let text = line.stringValue, let event = LedgerEvent(line: Array(text.utf8)), event.kind == .hold,
                event.isInRange
            else { return nil }
            totals.fold(event)
        }
        totals.unreadable = document["unreadable"]?.intValue ?? 0
        totals.outOfRange = document["out_of_range"]?.intValue ?? 0
        totals.events = document["events"]?.intValue ?? 0
        self.timeZone = timeZone
        self.marks = marks
        self.totals = totals
    }

    init(timeZone: String, marks: [Mark], totals: LedgerTotals) {
        self.timeZone = timeZone
        self.marks = marks
        self.totals = totals
    }

    /// Reads the checkpoint of `monthFile`, if there is one.
    static func load(_ files: LedgerFiles, monthFile: String, calendar: Calendar) -> LedgerCheckpoint? {
        guard let descriptor = files.openForReading(name(for: monthFile)) else { return nil }
        defer { close(descriptor) }
        guard let size = LedgerFiles.describe(descriptor)?.size, size > 0, size < 16 << 20 else { return nil }
        var bytes = [UInt8](repeating: 0, count: size)
        let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, size, 0) }
        guard count == size else { return nil }
        return LedgerCheckpoint(bytes: bytes, calendar: calendar)
    }

    /// Writes it atomically beside `monthFile`; failures are ignored (it is only a cache).
    func save(_ files: LedgerFiles, monthFile: String) {
        let final = files.path(Self.name(for: monthFile))
        let temporary = final + ".\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return }
        let data = bytes
        var ok = true
        do {
            try LedgerFiles.append(data, to: descriptor, path: temporary)
        } catch {
            ok = false
        }
        close(descriptor)
        if !ok || rename(temporary, final) != 0 { unlink(temporary) }
    }
}
