import Catalog
import Spend
import Testing

@Suite struct PriceTests {
    /// ¥0.08 per item, up to `page_size` (default 20, at most 100), as DataNexus lists are priced.
    static let pagePrice = Price.perItem(
        .yuan(0.08),
        unit: "item",
        maximum: .argument(Parameter("page_size", .integer(1...100), "Items per page.", default: 20, in: .query)),
        counted: .array(at: ["items"])
    )

    @Test func moneyIsExact() {
        var total = Money.zero(.cny)
        for _ in 0..<100 { total = total + .yuan(0.08) }
        #expect(total == .yuan(8))
        #expect(total.formatted == "¥8.00")
        #expect(Money.yuan(0.08).formatted == "¥0.08")
        #expect(Money.yuan(12.5).formatted == "¥12.50")
        #expect(Money.yuan(0.0125).formatted == "¥0.0125")
        #expect(Money(60, .credits).formatted == "60 credits")
    }

    @Test func perItemWorstCaseFollowsThePageSizeParameter() {
        let price = Self.pagePrice
        #expect(CallCost(price: price, arguments: [:]).worstCase == .yuan(1.6))
        #expect(CallCost(price: price, arguments: ["page_size": 100]).worstCase == .yuan(8))
        #expect(price.sentence.contains("≤ page_size × ¥0.08 (¥8.00 at 100)"))
    }

    @Test func aHigherCurrentUnitPriceRaisesTheWorstCaseButALowerOneDoesNot() {
        let price = Self.pagePrice
        #expect(CallCost(price: price, arguments: [:], currentUnitPrice: .yuan(0.12)).worstCase == .yuan(2.4))
        #expect(CallCost(price: price, arguments: [:], currentUnitPrice: .yuan(0.05)).worstCase == .yuan(1.6))
        let floor = CallCost(price: price, arguments: [:], isFloorPrice: true)
        #expect(floor.worstCaseBasis.contains("documented minimum"))
    }

    @Test func theLargestFittingPageIsCappedByTheParameterMaximum() {
        let price = Self.pagePrice
        let cost = CallCost(price: price, arguments: [:])
        #expect(cost.largestFittingPage(in: .yuan(1))?.count == 12)
        #expect(cost.largestFittingPage(in: .yuan(100))?.count == 100)
        #expect(cost.largestFittingPage(in: .yuan(0.05)) == nil)
    }

    @Test func itemsAreCountedWhereTheyAre() {
        #expect(ItemCounting.array(at: ["items"]).count(in: ["items": [1, 2, 3]]) == 3)
        #expect(ItemCounting.array(at: ["items"]).count(in: [1, 2]) == 2)
        #expect(ItemCounting.array(at: ["items"]).count(in: ["other": 1]) == 0)
        #expect(ItemCounting.oneIfPresent.count(in: ["id": "1"]) == 1)
        #expect(ItemCounting.oneIfPresent.count(in: nil) == 0)
    }

    @Test func unknownPricesHaveNoWorstCase() {
        #expect(CallCost(price: .undisclosed("x"), arguments: [:]).worstCase == nil)
        #expect(CallCost(price: .reportedByProvider(.cny, "x"), arguments: [:]).worstCase == nil)
        #expect(CallCost(price: .free("x"), arguments: [:]).worstCase == .zero(.cny))
    }
}
