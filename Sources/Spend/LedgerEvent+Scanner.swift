import Catalog
import Foundation

/// Reads a ledger line without building a JSON value: a month of 10,000 events must load in
/// a few milliseconds, and the ledger's own lines are flat objects of short strings, whole
/// numbers, booleans and nulls. Anything else (an escape, a fraction, nesting) is left to
/// the full JSON parser.
extension LedgerEvent {
    /// The event on a line, `.unreadable` for a line that is no event, or `nil` when the
    /// line needs the full parser.
    enum Scan {
        case event(LedgerEvent)
        case unreadable
    }

    static func scan(_ line: UnsafeBufferPointer<UInt8>) -> Scan? {
        var scanner = Scanner(bytes: line)
        var fields = Fields()
        guard scanner.take(UInt8(ascii: "{")) else { return .unreadable }
        if scanner.take(UInt8(ascii: "}")) { return .unreadable }
        repeat {
            guard let key = scanner.rawString() else { return scanner.needsParser ? nil : .unreadable }
            guard scanner.take(UInt8(ascii: ":")) else { return .unreadable }
            guard let value = scanner.value() else { return scanner.needsParser ? nil : .unreadable }
            fields.set(key, value)
        } while scanner.take(UInt8(ascii: ","))
        guard scanner.take(UInt8(ascii: "}")), scanner.atEnd else { return .unreadable }
        return fields.event.map(Scan.event) ?? .unreadable
    }

    private enum Value {
        case text(String)
        case number(Int64)
        case flag(Bool)
        case null
    }

    private struct Fields {
        var kind: Kind?
        var time: Int64?
        var pid: Int64?
        var id, tool, provider, arguments: String?
        var currency: Money.Currency?
        var units: Int64?
        var items: Int64?
        var failed: Bool?
        var balance: Int64?
        var processStart: Int64?
        var basis: String?
        var member: String?

        /// Keys are matched as bytes: a `String` per key of every line was most of the
        /// cost of loading a month.
        mutating func set(_ key: UnsafeBufferPointer<UInt8>, _ value: Value) {
            func named(_ name: StaticString) -> Bool {
                guard key.count == name.utf8CodeUnitCount, let start = key.baseAddress else { return false }
                return memcmp(start, name.utf8Start, key.count) == 0
            }
            switch value {
            case .text(let text):
                if named("e") {
                    kind = Kind(rawValue: text)
                } else if named("id") {
                    id = text
                } else if named("tool") {
                    tool = text
                } else if named("provider") {
                    provider = text
                } else if named("args") {
                    arguments = text
                } else if named("cur") {
                    currency = Money.Currency(rawValue: text)
                } else if named("basis") {
                    basis = text
                } else if named("member") {
                    member = text
                }
            case .number(let number):
                if named("t") {
                    time = number
                } else if named("pid") {
                    pid = number
                } else if named("units") {
                    units = number
                } else if named("items") {
                    items = number
                } else if named("balance_units") {
                    balance = number
                } else if named("ps") {
                    processStart = number
                }
            case .flag(let flag):
                if named("failed") { failed = flag }
            case .null:
                break
            }
        }

        var event: LedgerEvent? {
            guard let kind, let time, let pid else { return nil }
            var event = LedgerEvent(kind, time: time, pid: Int32(truncatingIfNeeded: pid))
            event.id = id
            event.tool = tool
            event.provider = provider
            event.arguments = arguments
            event.currency = currency
            event.units = units
            event.items = items.map { Int($0) }
            event.failed = failed
            event.balanceUnits = balance
            event.processStart = processStart
            event.basis = basis
            event.member = member
            return event
        }
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        /// Set when the line is valid JSON beyond what this scanner reads.
        var needsParser = false

        var atEnd: Bool {
            mutating get {
                skipSpace()
                return index == bytes.count
            }
        }

        mutating func skipSpace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0D {
                index += 1
            }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            skipSpace()
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func string() -> String? {
            rawString().map { String(decoding: $0, as: UTF8.self) }
        }

        /// A string without escapes, as the bytes between its quotes.
        mutating func rawString() -> UnsafeBufferPointer<UInt8>? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    defer { index += 1 }
                    return UnsafeBufferPointer(rebasing: bytes[start..<index])
                case UInt8(ascii: "\\"):
                    needsParser = true
                    return nil
                case 0..<0x20:
                    return nil
                default:
                    index += 1
                }
            }
            return nil
        }

        mutating func value() -> Value? {
            skipSpace()
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                return string().map { .text($0) }
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return number()
            case UInt8(ascii: "t"): return literal("true", .flag(true))
            case UInt8(ascii: "f"): return literal("false", .flag(false))
            case UInt8(ascii: "n"): return literal("null", .null)
            default:
                needsParser = true
                return nil
            }
        }

        private mutating func number() -> Value? {
            var negative = false
            if bytes[index] == UInt8(ascii: "-") {
                negative = true
                index += 1
            }
            var result: Int64 = 0
            var digits = 0
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                let (times, overflow) = result.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times.addingReportingOverflow(Int64(bytes[index] - UInt8(ascii: "0")))
                guard !overflow, !overflow2 else { return nil }
                result = sum
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) {
                needsParser = true
                return nil
            }
            return .number(negative ? -result : result)
        }

        private mutating func literal(_ word: StaticString, _ value: Value) -> Value? {
            let count = word.utf8CodeUnitCount
            guard index + count <= bytes.count else { return nil }
            for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return nil }
            index += count
            return value
        }
    }
}
