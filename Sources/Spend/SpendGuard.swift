import Catalog
import Foundation
import Wire

/// The one door to the user's money: this process's ledger (its ceiling) and the ledger
/// on disk (the daily and monthly limits of every process), kept in step.
///
/// Both hold a call's worst case before anything is sent, in that order, and a refusal
/// by the second gives back the first's hold: the call pipeline never touches either
/// ledger by itself, so the two cannot drift apart.
public final class SpendGuard: Sendable {
    /// This process's spend and ceilings.
    public let process: SpendLedger
    /// Every process's spend and the daily and monthly limits, on disk.
    public let shared: DurableLedger

    /// A call admitted by both ledgers; settle or release it exactly once.
    public struct Admission: Sendable {
        fileprivate let reservation: SpendLedger.Reservation
        fileprivate let hold: DurableLedger.Hold?

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
    public init(configuration: Configuration, clock: @escaping @Sendable () -> Date) {
        process = SpendLedger(ceilings: configuration.ceilings)
        shared = DurableLedger(stateDirectory: configuration.stateDirectory, limits: configuration.limits, clock: clock)
    }

    /// Holds the call's worst case in this process, then (for paid tools) on disk; free
    /// tools never touch the disk.
    public func admit(
        _ cost: CallCost,
        tool: ToolDefinition,
        provider: String
    ) -> Result<Admission, Denial> {
        let reservation: SpendLedger.Reservation
        switch process.admit(currency: cost.currency, worstCase: cost.worstCase) {
        case .success(let admitted): reservation = admitted
        case .failure(let refusal): return .failure(.refused(refusal))
        }
        guard tool.price.isPaid else { return .success(Admission(reservation: reservation, hold: nil)) }
        let admission: Result<DurableLedger.Hold, Denial>
        do {
            admission = try shared.admit(
                cost,
                tool: tool.name,
                provider: provider,
                argumentsHash: SpendGuard.argumentsHash(tool, cost.arguments)
            ).mapError { .refused($0) }
        } catch {
            admission = .failure(.ledgerUnavailable(error))
        }
        switch admission {
        case .success(let hold):
            return .success(Admission(reservation: reservation, hold: hold))
        case .failure(let denial):
            process.cancel(reservation)
            return .failure(denial)
        }
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
    public func release(_ admission: Admission) {
        process.cancel(admission.reservation)
        if let hold = admission.hold { try? shared.release(hold) }
    }

    /// Records a call that held nothing (a sandbox answer), in this process only.
    public func record(_ settlement: Settlement) {
        process.record(settlement)
    }

    /// Counts a call answered from the cache (free); paid reads are counted on disk too,
    /// for `usage`.
    public func recordCacheHit(tool: ToolDefinition, provider: String) {
        process.recordCacheHit(provider: provider, tool: tool.name)
        if tool.price.isPaid { shared.recordCacheHit(tool: tool.name, provider: provider) }
    }

    /// The budget as results show it; the disk is read only when `includeShared`, so free
    /// tools never touch it.
    public func budget(includeShared: Bool) -> BudgetView {
        BudgetView(process: process.snapshot(), shared: includeShared ? shared.status() : nil)
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
