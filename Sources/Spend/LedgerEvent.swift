import Catalog
import Wire

/// One line of the durable ledger (JSON Lines, one object per event).
///
/// Amounts are stored as integer ten-thousandths (`units`) so that no process ever adds
/// binary fractions; the arguments are stored only as a hash, never as values (the
/// Douyin cookie is an argument).
public struct LedgerEvent: Sendable, Equatable {
    /// What happened.
    public enum Kind: String, Sendable {
        /// The worst case, reserved before the request was sent.
        case hold
        /// The call finished: its actual cost.
        case settle
        /// The hold is dropped: the call never reached the provider.
        case release
        /// A paid read answered from the cache for free.
        case cache
        /// The user cleared an unsettled hold (`usage --clear-unsettled`).
        case clear
    }

    /// What happened.
    public var kind: Kind
    /// The hold this event belongs to (`hold`, `settle`, `release`, `clear`).
    public var id: String?
    /// When, in milliseconds since 1970 (UTC).
    public var time: Int64
    /// The process that wrote it.
    public var pid: Int32
    /// The tool and its provider.
    public var tool: String?
    /// See `tool`.
    public var provider: String?
    /// A hash of the call's non-secret arguments, to tell calls apart without storing them.
    public var arguments: String?
    /// The currency of `units`.
    public var currency: Money.Currency?
    /// The amount: the worst case of a hold, the cost of a settle (`nil`: not published).
    public var units: Int64?
    /// Priced items returned (settle).
    public var items: Int?
    /// Whether the call failed after reaching the provider (settle).
    public var failed: Bool?
    /// The balance the provider reported, in `currency` (settle).
    public var balanceUnits: Int64?
    /// When the writing process started, in the system's own units (Linux: clock ticks
    /// since boot; macOS: microseconds since 1970), so that a pid reused by another process
    /// is not taken for the hold's owner (hold).
    public var processStart: Int64?
    /// How the hold's amount was chosen: `quote`, `recorded`, `documented` or `rest`
    /// (everything left under the limits, for a tool with no known worst case) (hold).
    public var basis: String?
    /// The team member whose call it was (`serve --http`); absent for calls over stdio and
    /// in lines written before members existed.
    public var member: String?

    /// Creates an event.
    public init(
        _ kind: Kind,
        id: String? = nil,
        time: Int64,
        pid: Int32,
        tool: String? = nil,
        provider: String? = nil,
        arguments: String? = nil,
        currency: Money.Currency? = nil,
        units: Int64? = nil,
        items: Int? = nil,
        failed: Bool? = nil,
        balanceUnits: Int64? = nil,
        processStart: Int64? = nil,
        basis: String? = nil,
        member: String? = nil
    ) {
        self.kind = kind
        self.id = id
        self.time = time
        self.pid = pid
        self.tool = tool
        self.provider = provider
        self.arguments = arguments
        self.currency = currency
        self.units = units
        self.items = items
        self.failed = failed
        self.balanceUnits = balanceUnits
        self.processStart = processStart
        self.basis = basis
        self.member = member
    }

    /// Whether every number on the line is in range.
    ///
    /// Amounts neither negative nor above a call's sane maximum, counts not negative, a time after 1970. A line that is not is
    /// skipped (and counted) rather than let into arithmetic.
    public var isInRange: Bool {
        guard time >= 0, (items ?? 0) >= 0 else { return false }
        let currency = self.currency ?? .cny
        let maximum = Money.maximumPerCall(currency).units
        if let units, units < 0 || units > maximum { return false }
        if let balanceUnits,
            balanceUnits < 0 || balanceUnits > maximum.multipliedReportingOverflow(by: 1000).partialValue
        {
            return false
        }
        return true
    }

    /// The amount as money, when there is one.
    public var amount: Money? {
        guard let units, let currency else { return nil }
        return Money(units: units, currency)
    }

    /// The event as one JSON line, newline included.
    public var line: [UInt8] {
        var object: [String: JSONValue] = ["e": .string(kind.rawValue), "t": .int(Int(time)), "pid": .int(Int(pid))]
        if let id { object["id"] = .string(id) }
        if let tool { object["tool"] = .string(tool) }
        if let provider { object["provider"] = .string(provider) }
        if let arguments { object["args"] = .string(arguments) }
        if let currency { object["cur"] = .string(currency.rawValue) }
        if kind == .settle || units != nil { object["units"] = units.map { .int(Int($0)) } ?? .null }
        if let items { object["items"] = .int(items) }
        if let failed { object["failed"] = .bool(failed) }
        if let balanceUnits { object["balance_units"] = .int(Int(balanceUnits)) }
        if let processStart { object["ps"] = .int(Int(processStart)) }
        if let basis { object["basis"] = .string(basis) }
        if let member { object["member"] = .string(member) }
        return JSONValue.object(object).jsonBytes + [0x0A]
    }

    /// Reads a line; `nil` for anything that is not a ledger event (a torn or foreign line).
    public init?<Bytes: Collection<UInt8>>(line: Bytes) {
        let scanned: Scan?? = line.withContiguousStorageIfAvailable { Self.scan($0) }
        switch scanned {
        case .some(.some(.event(let event))):
            self = event
            return
        case .some(.some(.unreadable)):
            return nil
        default:
            self.init(parsing: line)
        }
    }

    /// Units as written, `Int64.max` (out of range) for a number that is not whole, `nil`
    /// for null or no number.
    private static func wholeUnits(_ value: JSONValue?) -> Int64? {
        guard let value, value.doubleValue != nil else { return nil }
        return value.intValue.map(Int64.init) ?? Int64.max
    }

    /// The full JSON parser's reading, for lines the scanner leaves to it.
    private init?<Bytes: Collection<UInt8>>(parsing line: Bytes) {
        guard let value = try? JSONParser.parse(line), let kind = value["e"]?.stringValue.flatMap(Kind.init),
            let time = value["t"]?.intValue, let pid = value["pid"]?.intValue
        else { return nil }
        self.init(kind, time: Int64(time), pid: Int32(truncatingIfNeeded: pid))
        id = value["id"]?.stringValue
        tool = value["tool"]?.stringValue
        provider = value["provider"]?.stringValue
        arguments = value["args"]?.stringValue
        currency = value["cur"]?.stringValue.flatMap(Money.Currency.init(rawValue:))
        // A number that is no whole number of units (`1e300`, `0.5`) is out of range, not
        // absent: it must be skipped and reported, never read as "no amount".
        units = Self.wholeUnits(value["units"])
        items = value["items"]?.intValue
        failed = value["failed"]?.boolValue
        balanceUnits = Self.wholeUnits(value["balance_units"])
        processStart = value["ps"]?.intValue.map(Int64.init)
        basis = value["basis"]?.stringValue
        member = value["member"]?.stringValue
    }
}
