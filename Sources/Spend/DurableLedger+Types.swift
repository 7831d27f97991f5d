import Catalog
import Foundation
import Locking

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension DurableLedger {
    /// How a hold's amount was chosen.
    public enum ReserveBasis: String, Sendable, Equatable {
        /// The call's own quote (a per-item price times the page size).
        case quote
        /// The largest charge recorded for the tool in the ledger.
        case recorded
        /// The provider's documented charge for the tool.
        case documented
        /// Everything left under the limits: the tool has no recorded or documented charge,
        /// so only one such call runs at a time while a limit is set.
        case rest
        /// Nothing: the provider publishes no rate (or no limit is set to reserve from).
        case none
    }

    /// A hold this process wrote, to be settled or released.
    public struct Hold: Sendable {
        /// The hold's id in the ledger.
        public let id: String
        /// The currency it is counted in.
        public let currency: Money.Currency
        /// The amount held: the call's worst case as the ledger counts it, or `nil` when
        /// nothing could be held (no rate published, no limit set).
        public let amount: Money?
        /// How `amount` was chosen.
        public let basis: ReserveBasis
        /// Every process's spend just after this hold, for the result's budget line.
        public let status: Status
        /// The tool and provider, repeated on the settle line.
        let tool: String
        let provider: String
        /// The team member whose call it is, repeated on every line of the call; `nil` over stdio.
        public let member: String?

        /// The reserve in words, for the result ("¥3.00, DataTrust's documented charge").
        public var reserveNote: String? {
            guard let amount else { return nil }
            switch basis {
            case .quote, .none: return nil
            case .recorded: return "\(amount.formatted) held: the largest charge recorded for \(tool)"
            case .documented: return "\(amount.formatted) held: the provider's documented charge for \(tool)"
            case .rest:
                return "\(amount.formatted) held, everything left under the limits: \(tool) has no recorded "
                    + "or documented charge yet, so one such call runs at a time"
            }
        }
    }

    /// What a settle recorded.
    public struct Settled: Sendable {
        /// The settlement as recorded, its cost range-checked.
        ///
        /// An out-of-range or negative charge is recorded at the hold's amount. Pass this one to the process's ledger.
        public let settlement: Settlement
        /// Sentences for the result: a charge above its reserve, an out-of-range charge.
        public let notes: [String]
        /// Every process's spend just after the settle, for the result's budget line.
        public let status: Status
    }

    /// A hold with no settle: in flight in a live process, or unsettled after a crash.
    public struct OpenHold: Sendable, Equatable {
        /// Its id.
        public let id: String
        /// The process that wrote it.
        public let pid: Int32
        /// When, in milliseconds since 1970.
        public let time: Int64
        /// The tool and provider.
        public let tool: String
        /// See `tool`.
        public let provider: String
        /// The worst case held, if known.
        public let amount: Money?
        /// The currency.
        public let currency: Money.Currency
        /// When the writing process started (see `ProcessIdentity`), if recorded.
        public var processStart: Int64?
        /// How the amount was chosen (`ReserveBasis`), if recorded.
        public var basis: String?
        /// The team member whose call it is; `nil` over stdio.
        public var member: String?

        /// The process that owns it.
        public var owner: ProcessIdentity { ProcessIdentity(pid: pid, start: processStart) }
    }

    /// What every process spent in the current day and month, and what is left.
    public struct Status: Sendable {
        /// Settled spend plus unsettled holds, today and this month, by currency.
        public var spentToday: [Money.Currency: Money] = [:]
        /// See `spentToday`.
        public var spentThisMonth: [Money.Currency: Money] = [:]
        /// Held for calls in flight in live processes, today and this month.
        public var heldToday: [Money.Currency: Money] = [:]
        /// See `heldToday`.
        public var heldThisMonth: [Money.Currency: Money] = [:]
        /// Holds of processes that died before settling.
        public var unsettled: [OpenHold] = []
        /// Lines that could not be read (torn by a crash), skipped.
        public var unreadableLines = 0
        /// Events with a number out of range (a negative or absurd amount), skipped.
        public var outOfRangeLines = 0
        /// The limits.
        public var limits = SpendLimits()

        /// Spent (settled and unsettled) in a scope.
        public func spent(_ scope: BudgetRefusal.Scope, _ currency: Money.Currency) -> Money {
            (scope == .day ? spentToday[currency] : spentThisMonth[currency]) ?? .zero(currency)
        }

        /// Held for calls in flight in a scope.
        public func held(_ scope: BudgetRefusal.Scope, _ currency: Money.Currency) -> Money {
            (scope == .day ? heldToday[currency] : heldThisMonth[currency]) ?? .zero(currency)
        }

        /// What is left under a limit, or `nil` without one.
        public func remaining(_ scope: BudgetRefusal.Scope, _ currency: Money.Currency) -> Money? {
            limits.limit(scope, currency).map { $0 - spent(scope, currency) - held(scope, currency) }
        }

        /// The least left under the day's and the month's limits, or `nil` without either.
        func leastRemaining(_ currency: Money.Currency) -> Money? {
            [remaining(.day, currency), remaining(.month, currency)].compactMap { $0 }.min()
        }
    }
}
