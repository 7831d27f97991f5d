import Catalog
import Foundation
import Locking
import Upstream
import Wire

/// DataNexus's unit prices as DataNexus states them.
///
/// The seed prices the four platforms at "不低于 ¥0.08/条" (at least ¥0.08 per item) and
/// names a free endpoint, `GET /api/v1/billing/pricing/{platform}`, for the real price. The
/// book reads it once per process and platform (concurrent callers share the one read),
/// and answers the higher of that price and ¥0.08. When the price cannot be read the
/// answer is ¥0.08, marked as a floor, and the next call tries again.
///
/// The read is a call of the free `datanexus_get_pricing` row through the upstream
/// client, so it is paced, retried, timed and redacted like every other request.
public final class PriceBook: Sendable {
    /// A unit price and whether it is only the documented floor.
    public struct Quote: Sendable, Equatable {
        /// The price per returned item.
        public let unitPrice: Money
        /// `true` when the provider's price could not be read, so the real one may be higher.
        public let isFloor: Bool

        /// Creates a quote.
        public init(unitPrice: Money, isFloor: Bool) {
            self.unitPrice = unitPrice
            self.isFloor = isFloor
        }
    }

    /// The documented minimum, "不低于 ¥0.08/条".
    public static let floor = Money.yuan(0.08)

    private let client: UpstreamClient
    private let environment: Environment
    private let clock: any ServerClock
    private let timeout: Duration
    private let isReadable: Bool
    private let reads = Locked<[String: Task<Quote?, Never>]>([:])

    /// Creates a book reading DataNexus's price list through `client`.
    public init(
        client: UpstreamClient,
        environment: Environment,
        clock: any ServerClock = SystemClock(),
        timeout: Duration = .seconds(5)
    ) {
        self.client = client
        // The price list is public: the key is not sent where it is not needed.
        self.environment = environment.removing(DataNexus.provider.credential.map { [$0.variable] } ?? [])
        self.clock = clock
        self.timeout = timeout
        // Without a key no paid call can be made, so there is no price to look up either.
        isReadable = DataNexus.provider.credential.map { environment[$0.variable] != nil } ?? true
    }

    /// The unit price a DataNexus per-item tool is charged at for these arguments, or
    /// `nil` for a tool whose price the provider does not look up (image generation, other
    /// providers' tools, tools without a platform).
    public func unitPrice(for tool: ToolDefinition, arguments: [String: JSONValue]) async -> Quote? {
        guard case .perItem(let listed, _, _, _) = tool.price, listed == PriceBook.floor,
            tool.name.hasPrefix(DataNexus.provider.id + "_"),
            let platform = arguments["platform"]?.stringValue, DataNexus.platforms.contains(platform)
        else { return nil }
        return await quote(platform: platform)
    }

    /// The unit price of `platform`: read once, then remembered for the process.
    public func quote(platform: String) async -> Quote {
        let task = reads.withLock { reads in
            if let running = reads[platform] { return running }
            let task = Task { await self.read(platform) }
            reads[platform] = task
            return task
        }
        if let quote = await task.value { return quote }
        // Not remembered: a passing failure must not pin the floor for the process.
        reads.withLock { reads in
            if reads[platform] == task { reads.removeValue(forKey: platform) }
        }
        return Quote(unitPrice: PriceBook.floor, isFloor: true)
    }

    private func read(_ platform: String) async -> Quote? {
        guard isReadable, let row = DataNexus.toolset.tools.first(where: { $0.name == DataNexus.pricingTool }) else {
            return nil
        }
        let seconds = Int(timeout.components.seconds)
        guard
            let payload = try? await client.fetch(
                tool: row,
                provider: DataNexus.provider,
                arguments: ["platform": .string(platform)],
                environment: environment,
                rule: RetryRule(effect: row.effect, price: row.price),
                deadline: clock.now + timeout,
                budgetSeconds: max(1, seconds),
                log: .silent
            ),
            let price = PriceBook.price(in: payload.data), price > 0,
            // Checked at the edge: an absurd price (1e300) is not read, so the quote is the
            // documented floor, marked as such, and the next call reads the list again.
            let unitPrice = Money.checkedProviderAmount(price, .cny)
        else { return nil }
        return Quote(unitPrice: max(unitPrice, PriceBook.floor), isFloor: false)
    }

    /// The price in the reply's data.
    ///
    /// The seed shows no example of this reply, so the usual names are tried, as a number
    /// or as text.
    static func price(in data: JSONValue) -> Double? {
        for key in ["unit_price", "price", "unitPrice", "price_per_item"] {
            if let number = data[key]?.doubleValue { return number }
            if let text = data[key]?.stringValue, let number = Double(text) { return number }
        }
        return nil
    }
}
