import Catalog
import Foundation
import Wire

/// The one door to the user's money: the ledger on disk (the daily and monthly limits of
/// every process) and this process's ledger (its ceiling), kept in step.
///
/// Both hold a call's worst case before anything is sent, and a refusal by the second
/// gives back the first's hold: the call pipeline never touches either ledger by itself,
/// so the two cannot drift apart. A quoted worst case is held in the process first, so
/// that a call its ceiling refuses never holds any of the limits every process shares; a
/// provider-priced call is held on disk first, which decides its reserve (the largest
/// charge recorded, else the documented one), and the process then holds the same.
public final class SpendGuard: Sendable {
    /// This process's spend and ceilings.
    public let process: SpendLedger
    /// Every process's spend and the daily and monthly limits, on disk.
    public let shared: DurableLedger
    /// The team member whose calls this door admits (`serve --http`); `nil` over stdio.
    ///
    /// Each line on disk carries their name and each call must fit their own limits as well
    /// as the team's. Read afresh for each call, so changed limits apply at once.
    public var member: MemberBudget? { memberSource?() }
    private let memberSource: (@Sendable () -> MemberBudget)?

    /// A call admitted by both ledgers; settle or release it exactly once.
    public struct Admission: Sendable {
        fileprivate let reservation: SpendLedger.Reservation
        let hold: DurableLedger.Hold?

        /// How a provider-priced call's reserve was chosen, for the result, when it was not a quote.
        public var reserveNote: String? { hold?.reserveNote }
    }

    /// Why a call was not admitted.
    public enum Denial: Error, Sendable {
        /// A ceiling or limit would be passed.
        case refused(BudgetRefusal)
        /// The ledger on disk could not be read or written, so the limits cannot be checked.
        case ledgerUnavailable(LedgerError)
    }

    /// Wires both ledgers for these settings; `clock` gives the wall-clock time the
    /// ledger's days and months are counted in.
    ///
    /// The ledger on disk saves its checkpoint when the process exits, so that the next
    /// server's first paid call reads only what was written after.
    public init(configuration: Configuration, clock: @escaping @Sendable () -> Date) {
        process = SpendLedger(ceilings: configuration.ceilings)
        shared = DurableLedger(stateDirectory: configuration.stateDirectory, limits: configuration.limits, clock: clock)
        memberSource = nil
        shared.checkpointAtExit()
    }

    private init(process: SpendLedger, shared: DurableLedger, member: @escaping @Sendable () -> MemberBudget) {
        self.process = process
        self.shared = shared
        memberSource = member
    }

    /// The same ledgers, admitting one member's calls: the one place a team member's
    /// identity reaches the call pipeline.
    ///
    /// `member` gives their name and current limits, asked once per call (the team server
    /// reads them from its members file, which `member limit` changes).
    public func serving(_ member: @escaping @Sendable () -> MemberBudget) -> SpendGuard {
        SpendGuard(process: process, shared: shared, member: member)
    }

    /// Holds the call's worst case in this process and, for paid tools, on disk (free
    /// tools never touch the disk).
    ///
    /// The hold is on disk when this returns; the wait for the disk blocks no thread, and
    /// concurrent admits share one `fsync`.
    public func admit(
        _ cost: CallCost,
        tool: ToolDefinition,
        provider: String
    ) async -> Result<Admission, Denial> {
        guard tool.price.isPaid else {
            return process.admit(currency: cost.currency, worstCase: cost.worstCase)
                .map { Admission(reservation: $0, hold: nil) }
                .mapError { .refused($0) }
        }
        let member = member
        var quoted: SpendLedger.Reservation?
        if let worstCase = cost.worstCase {
            switch process.admit(currency: cost.currency, worstCase: worstCase) {
            case .success(let reservation): quoted = reservation
            case .failure(let refusal): return .failure(.refused(refusal))
            }
        }
        let hold: DurableLedger.Hold
        do {
            let admitted = try await shared.admitDurably(
                cost,
                tool: tool.name,
                provider: provider,
                argumentsHash: SpendGuard.argumentsHash(tool, cost.arguments),
                member: member
            )
            switch admitted {
            case .success(let held): hold = held
            case .failure(let refusal):
                if let quoted { process.cancel(quoted) }
                return .failure(.refused(refusal))
            }
        } catch {
            if let quoted { process.cancel(quoted) }
            return .failure(.ledgerUnavailable(error))
        }
        // A quote is what the disk held too.
        if let quoted { return .success(Admission(reservation: quoted, hold: hold)) }
        // What the disk held (a provider-priced tool's reserve); "everything left" there
        // is everything left under the ceiling here.
        let worstCase = hold.basis == .rest ? nil : hold.amount ?? cost.worstCase
        switch process.admit(currency: cost.currency, worstCase: worstCase) {
        case .success(let reservation):
            return .success(Admission(reservation: reservation, hold: hold))
        case .failure(let refusal):
            // Nothing was sent: the hold on disk is dropped (a lost release counts at the worst case).
            _ = try? shared.releaseReporting(hold)
            return .failure(.refused(refusal))
        }
    }

    /// Notes that the admitted call's request is leaving for the provider: from now on it
    /// is settled, never released (the provider may charge whatever happens next).
    public func markSent(_ admission: Admission) {
        if let hold = admission.hold { shared.markSent(hold) }
    }

    /// Records what an admitted call cost in both ledgers.
    ///
    /// The one on disk is flushed before the result is written. Returns the disk's error,
    /// if it could not be written (the hold then still counts at its worst case).
    @discardableResult
    public func settle(
        _ admission: Admission,
        _ settlement: Settlement
    ) -> (recorded: Settlement, notes: [String], error: LedgerError?) {
        guard let hold = admission.hold else {
            process.settle(admission.reservation, settlement)
            return (settlement, [], nil)
        }
        do {
            // The disk first: it range-checks the charge, and the process counts what it recorded.
            let settled = try shared.settleReporting(hold, settlement)
            process.settle(admission.reservation, settled.settlement)
            return (settled.settlement, settled.notes, nil)
        } catch {
            process.settle(admission.reservation, settlement)
            return (settlement, [], error)
        }
    }

    /// Gives back an admitted call's holds: it never reached the provider.
    ///
    /// One whose request had left (`markSent`) is settled at its worst case instead, in
    /// both ledgers.
    public func release(_ admission: Admission) {
        guard let hold = admission.hold else {
            process.cancel(admission.reservation)
            return
        }
        do {
            if let settled = try shared.releaseReporting(hold) {
                process.settle(admission.reservation, settled.settlement)
            } else {
                process.cancel(admission.reservation)
            }
        } catch {
            // The hold stays on disk, counting at its worst case; so does the reservation here.
            let settlement = Settlement(
                provider: hold.provider,
                tool: hold.tool,
                currency: hold.currency,
                cost: admission.reservation.amount,
                items: 0,
                failed: true,
                balance: nil
            )
            process.settle(admission.reservation, settlement)
        }
    }

    /// Records a call that held nothing (a sandbox answer), in this process only.
    public func record(_ settlement: Settlement) {
        process.record(settlement)
    }

    /// Counts a call answered from the cache (free); paid reads are counted on disk too,
    /// for `usage`.
    public func recordCacheHit(tool: ToolDefinition, provider: String) {
        process.recordCacheHit(provider: provider, tool: tool.name)
        if tool.price.isPaid { shared.recordCacheHit(tool: tool.name, provider: provider, member: member?.name) }
    }

    /// The budget as results show it; the disk is read only when `includeShared`, so free
    /// tools never touch it.
    ///
    /// The spend on disk is as this process last read it (the call's own admit or settle
    /// just did), without another read: every paid call would otherwise pay for one.
    public func budget(includeShared: Bool) -> BudgetView {
        var view = BudgetView(process: process.snapshot(), shared: includeShared ? shared.cachedStatus() : nil)
        if includeShared, let member {
            view.member = shared.cachedStatus(member: member)
            view.memberName = member.name
        }
        return view
    }

    /// A hash of the arguments that reach the provider, secrets left out, so the ledger
    /// can tell calls apart without holding a cookie (FNV-1a, 64 bits).
    public static func argumentsHash(_ tool: ToolDefinition, _ arguments: [String: JSONValue]) -> String {
        let kept = arguments.filter { name, _ in
            guard let parameter = tool.parameter(named: name) else { return false }
            return parameter.location != .local && !parameter.isSecret
        }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in JSONValue.object(kept).jsonBytes {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
