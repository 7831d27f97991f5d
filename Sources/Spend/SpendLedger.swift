import Catalog
import Locking

/// The process's spend: what each provider and tool cost, the ceilings, and the money
/// held back for calls in flight, so parallel calls cannot jointly pass a ceiling.
public final class SpendLedger: Sendable {
    /// Counters for one provider, one tool, or everything.
    public struct Totals: Sendable, Equatable {
        /// Money spent, by currency.
        public var spent: [Money.Currency: Money] = [:]
        /// Calls that reached the provider (successful or not).
        public var calls = 0
        /// Priced items returned.
        public var items = 0
        /// Calls answered from the cache.
        public var cacheHits = 0
        /// Calls that failed.
        public var errors = 0
        /// Paid calls whose price the provider does not publish (TikOmni).
        public var unpricedCalls = 0

        /// Spend in one currency.
        public func spent(_ currency: Money.Currency) -> Money { spent[currency] ?? .zero(currency) }
    }

    /// A read of the ledger at one moment.
    public struct Snapshot: Sendable {
        /// Everything.
        public var overall = Totals()
        /// By provider id.
        public var byProvider: [String: Totals] = [:]
        /// By tool name.
        public var byTool: [String: Totals] = [:]
        /// The ceilings.
        public var ceilings: [Money.Currency: Money] = [:]
        /// Money held for calls in flight.
        public var reserved: [Money.Currency: Money] = [:]
        /// The latest balance each provider reported.
        public var balances: [String: Money] = [:]

        /// What is left under the ceiling of a currency, or `nil` when there is none.
        public func remaining(_ currency: Money.Currency) -> Money? {
            guard let ceiling = ceilings[currency] else { return nil }
            return ceiling - overall.spent(currency)
        }
    }

    /// Money held for one admitted call until it settles.
    public struct Reservation: Sendable {
        /// The amount held: the worst case, everything left under the ceiling for a call
        /// whose cost is unknown, or `nil` without a ceiling.
        public let amount: Money?
        /// The currency the call is counted in.
        public let currency: Money.Currency
    }

    private let state: Locked<Snapshot>

    /// Creates a ledger with these ceilings.
    public init(ceilings: [Money.Currency: Money]) {
        state = Locked(Snapshot(ceilings: ceilings))
    }

    /// Admits a call whose worst case fits under the ceiling, holding that amount; a call
    /// whose cost is unknown in advance is admitted while anything is left, and holds all
    /// of it (so that it alone can pass the ceiling, by at most its own charge).
    public func admit(currency: Money.Currency, worstCase: Money?) -> Result<Reservation, BudgetRefusal> {
        state.withLock { snapshot in
            let reserved = snapshot.reserved[currency] ?? .zero(currency)
            var worstCase = worstCase
            if let ceiling = snapshot.ceilings[currency] {
                let spent = snapshot.overall.spent(currency)
                if !BudgetRefusal.fits(worstCase, available: ceiling - spent - reserved) {
                    return .failure(
                        BudgetRefusal(
                            scope: .process,
                            limit: ceiling,
                            spent: spent,
                            reserved: reserved,
                            worstCase: worstCase
                        )
                    )
                }
                if worstCase == nil { worstCase = ceiling - spent - reserved }
            }
            if let worstCase { snapshot.reserved[currency] = reserved + worstCase }
            return .success(Reservation(amount: worstCase, currency: currency))
        }
    }

    /// Records a finished call: releases its hold and adds what it actually cost.
    ///
    /// A cost out of range (negative, or above a call's sane maximum) is counted at the
    /// reservation instead: a provider's number never lowers the spend or traps.
    public func settle(_ reservation: Reservation, _ settlement: Settlement) {
        var settlement = settlement
        if let cost = settlement.cost, !cost.isSaneAmount {
            settlement.cost = reservation.amount ?? .zero(cost.currency)
        }
        state.withLock { snapshot in
            release(reservation, in: &snapshot)
            add(settlement, to: &snapshot)
        }
    }

    /// Records a call that held nothing (a sandbox answer).
    public func record(_ settlement: Settlement) {
        state.withLock { add(settlement, to: &$0) }
    }

    private func add(_ settlement: Settlement, to snapshot: inout Snapshot) {
        func add(_ totals: inout Totals) {
            totals.calls += 1
            totals.items += settlement.items
            if settlement.failed { totals.errors += 1 }
            if settlement.isUnpriced { totals.unpricedCalls += 1 }
            if let cost = settlement.cost, !cost.isZero {
                totals.spent[cost.currency] = totals.spent(cost.currency) + cost
            }
        }
        add(&snapshot.overall)
        add(&snapshot.byProvider[settlement.provider, default: Totals()])
        add(&snapshot.byTool[settlement.tool, default: Totals()])
        if let balance = settlement.balance { snapshot.balances[settlement.provider] = balance }
    }

    /// Releases a hold without recording a call (the call never reached the provider).
    public func cancel(_ reservation: Reservation) {
        state.withLock { release(reservation, in: &$0) }
    }

    /// Counts a call answered from the cache.
    public func recordCacheHit(provider: String, tool: String) {
        state.withLock { snapshot in
            snapshot.overall.cacheHits += 1
            snapshot.byProvider[provider, default: Totals()].cacheHits += 1
            snapshot.byTool[tool, default: Totals()].cacheHits += 1
        }
    }

    /// The ledger now.
    public func snapshot() -> Snapshot { state.withLock { $0 } }

    private func release(_ reservation: Reservation, in snapshot: inout Snapshot) {
        guard let amount = reservation.amount else { return }
        snapshot.reserved[reservation.currency] =
            (snapshot.reserved[reservation.currency] ?? .zero(amount.currency)) - amount
    }
}
