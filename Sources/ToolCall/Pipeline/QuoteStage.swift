import Catalog
import Providers
import Spend

/// Prices the call and answers a dry run with the quote alone.
///
/// DataNexus prices are "at least ¥0.08": its free price list says what they are now, and
/// the quote, the limits and the ledger use the higher of the two.
struct QuoteStage: CallStage {
    let prices: PriceBook

    func handle(_ call: PendingCall, next: @escaping NextStage) async -> CallOutcome {
        var call = call
        let current = await prices.unitPrice(for: call.tool, arguments: call.arguments)
        call.cost = CallCost(
            price: call.tool.price,
            arguments: call.arguments,
            currentUnitPrice: current?.unitPrice,
            isFloorPrice: current?.isFloor ?? false
        )
        if call.arguments["dry_run"] == .bool(true) { return .quoted(call.cost) }
        return await next(call)
    }
}
