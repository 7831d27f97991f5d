import Catalog
import Foundation
import Wire

/// What becomes of a hold after its call: settled at its real cost, released when the
/// request never left, or a cache hit counted for the usage report.
///
/// Settles and releases are appended without an `fsync` of their own: a lost one leaves
/// the hold counting at its worst case, which is the safe side.
extension DurableLedger {
    /// Notes that the hold's request may have reached the provider: from now on it is only
    /// settled, never released (a cancelled call still counts at its worst case).
    public func markSent(_ hold: Hold) {
        sent.withLock { _ = $0.insert(hold.id) }
    }

    /// Records what a held call cost (not flushed: a lost settle leaves the hold counting
    /// at its worst case).
    ///
    /// A charge that is negative or out of range is recorded at the hold's amount; a charge
    /// above the hold is recorded as reported and becomes the tool's reserve; a failed call
    /// of a tool priced afterwards with no charge known counts at its hold. `notes` says so.
    public func settle(_ hold: Hold, _ settlement: Settlement) throws(LedgerError) {
        _ = try settleReporting(hold, settlement)
    }

    /// `settle`, returning what was recorded and the notes for the result.
    public func settleReporting(_ hold: Hold, _ settlement: Settlement) throws(LedgerError) -> Settled {
        var recorded = settlement
        var notes: [String] = []
        if let cost = settlement.cost {
            if !cost.isSaneAmount {
                recorded.cost = hold.amount ?? .zero(cost.currency)
                // A number past Int64's range was saturated on the way in; its saturated form
                // (¥922337203685477.5807) is not what the provider said, so it is not shown.
                let reported =
                    cost.units == .max || cost.units == .min ? "an absurd charge" : "a charge of \(cost.formatted)"
                notes.append(
                    "The provider reported \(reported), which is out of range (negative or above "
                        + "\(Money.maximumPerCall(cost.currency).formatted)); it is recorded at this call's worst case, "
                        + "\((hold.amount ?? .zero(cost.currency)).formatted). Check the provider's balance."
                )
            } else if let amount = hold.amount, hold.basis != .quote, cost > amount {
                notes.append(
                    "Charged \(cost.formatted), more than the \(amount.formatted) held for it: recorded as reported, "
                        + "and \(cost.formatted) is now the amount held for each \(hold.tool) call."
                )
            }
        } else if settlement.failed, let amount = hold.amount, [.recorded, .documented, .rest].contains(hold.basis) {
            recorded.cost = amount
            notes.append(
                "The provider may have charged for this failed call; counted at \(amount.formatted) held for it."
            )
        }
        let event = LedgerEvent(
            .settle,
            id: hold.id,
            time: Self.milliseconds(clock()),
            pid: identity.pid,
            tool: recorded.tool,
            provider: recorded.provider,
            currency: recorded.currency,
            units: recorded.cost?.units,
            items: max(0, recorded.items),
            failed: recorded.failed,
            balanceUnits: recorded.balance.flatMap { $0.isSaneAmount ? $0.units : nil },
            member: hold.member
        )
        let status = try record(event)
        sent.withLock { _ = $0.remove(hold.id) }
        return Settled(settlement: recorded, notes: notes, status: status)
    }

    /// Drops a hold whose call never reached the provider.
    ///
    /// After `markSent` the provider may have charged: the hold is settled at its amount
    /// instead (returned), never dropped.
    public func release(_ hold: Hold) throws(LedgerError) {
        _ = try releaseReporting(hold)
    }

    /// `release`, returning the settle recorded instead when the request had been sent.
    public func releaseReporting(_ hold: Hold) throws(LedgerError) -> Settled? {
        let wasSent = sent.withLock { $0.contains(hold.id) }
        if wasSent {
            let settlement = Settlement(
                provider: hold.provider,
                tool: hold.tool,
                currency: hold.currency,
                cost: hold.amount,
                items: 0,
                failed: true,
                balance: nil
            )
            var settled = try settleReporting(hold, settlement)
            settled = Settled(
                settlement: settled.settlement,
                notes: [
                    "The request had been sent when the call ended: counted at \(hold.amount?.formatted ?? "its worst case")."
                ],
                status: settled.status
            )
            return settled
        }
        _ = try record(
            LedgerEvent(.release, id: hold.id, time: Self.milliseconds(clock()), pid: identity.pid, member: hold.member)
        )
        return nil
    }

    /// Counts a paid read answered from the cache (free), for the usage report; `member`
    /// is whose call it was on a team server.
    public func recordCacheHit(tool: String, provider: String, member: String? = nil) {
        let event = LedgerEvent(
            .cache,
            time: Self.milliseconds(clock()),
            pid: identity.pid,
            tool: tool,
            provider: provider,
            member: member.flatMap { MemberName.isValid($0) ? $0 : nil }
        )
        _ = try? record(event)
    }
}
