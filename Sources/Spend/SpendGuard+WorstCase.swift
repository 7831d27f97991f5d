import Catalog

extension SpendGuard {
    /// A paid call's worst case as its hold would reserve it now, and why: what the
    /// ask-first stage quotes before anything is held or sent.
    public struct WorstCase: Sendable {
        /// The amount; `nil` when nothing bounds it (no charge recorded or documented, and
        /// no limit of its currency to reserve from).
        public let amount: Money?
        /// The currency it is counted in.
        public let currency: Money.Currency
        /// How the amount was chosen, as the ledger's hold would record it.
        public let basis: DurableLedger.ReserveBasis
        /// The quoted call, whose own words say how a quote is computed.
        let quote: CallCost?

        /// The basis in words, for the quote ("documented: ¥3.00 a call"); composed only
        /// when a question is asked, never on a call that goes on.
        public var words: String {
            switch (basis, amount) {
            case (.quote, _): return quote?.worstCaseBasis ?? "quoted"
            case (.recorded, let amount?): return "largest charge recorded for this tool: \(amount.formatted)"
            case (.documented, let amount?): return "documented: \(amount.formatted) a call"
            case (.rest, let amount?):
                return "no known price: up to everything left under the limits, \(amount.formatted)"
            default: return "no known price and no limit set: any amount"
            }
        }

        /// Whether the amount passes `threshold`; an unbounded worst case passes any.
        public func isAbove(_ threshold: Money) -> Bool {
            guard let amount else { return true }
            return amount > threshold
        }

        /// The amount in words ("¥3.00", "any amount").
        public var formatted: String { amount?.formatted ?? "any amount" }
    }

    /// The worst case a hold would reserve for this call if it were admitted now, read
    /// without holding anything.
    ///
    /// The rule is the ledger's own (`DurableLedger.reserve`): the quote when there is
    /// one; for a price the provider reports afterwards, the larger of the largest charge
    /// recorded for the tool and its documented charge; with neither, everything left under
    /// the limits. Other processes' charges are read first, so a reserve that grew is
    /// quoted as grown. `nil` for a rate the provider never discloses (nothing can be
    /// reserved for it), or when the ledger cannot be read (the spend gate then refuses
    /// the call and says why).
    public func worstCase(of cost: CallCost, tool: String) -> WorstCase? {
        if let quote = cost.worstCase {
            return WorstCase(amount: quote, currency: quote.currency, basis: .quote, quote: cost)
        }
        guard case .reportedByProvider(let currency, _, _) = cost.price else { return nil }
        let ledger = shared
        let member = member
        let now = DurableLedger.milliseconds(ledger.clock())
        return ledger.state.withLock { state -> WorstCase? in
            do {
                try ledger.refresh(&state, now: now)
            } catch {
                return nil
            }
            var (amount, basis) = ledger.reserve(for: cost, tool: tool, totals: state.totals)
            if basis == .rest {
                // As the hold counts it: the team's and, on a team server, the member's own limits.
                let team = ledger.status(&state, now: now)
                let own = member.map { ledger.status(&state, now: now, member: $0) }
                amount = DurableLedger.everythingLeft([team, own], currency)
                if amount == nil { basis = .none }
            }
            return WorstCase(amount: amount, currency: currency, basis: basis, quote: nil)
        }
    }

    /// The worst case the admission holds, when it is above `approved` (the amount the
    /// user or a token approved); `nil` when it is within it or nothing bounds either.
    public func exceedingApproval(_ admission: Admission, approved: WorstCase) -> WorstCase? {
        guard let hold = admission.hold, let held = hold.amount, let limit = approved.amount,
            held.currency == limit.currency, held > limit
        else { return nil }
        return WorstCase(amount: held, currency: held.currency, basis: hold.basis, quote: approved.quote)
    }
}
