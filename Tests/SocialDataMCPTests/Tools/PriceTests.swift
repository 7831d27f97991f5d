import SocialDataMCP
import Testing

@Suite struct PriceTests {
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

    @Test func perItemWorstCaseFollowsThePageSize() {
        let price = Price.perItem(
            .yuan(0.08),
            unit: "item",
            maximum: .argument("page_size", default: 20, maximum: 100),
            counted: .array(at: ["items"])
        )
        #expect(price.worstCase(for: [:]) == .yuan(1.6))
        #expect(price.worstCase(for: ["page_size": 100]) == .yuan(8))
        #expect(price.sentence.contains("≤ page_size × ¥0.08 (¥8.00 at 100)"))
    }

    @Test func itemsAreCountedWhereTheyAre() {
        #expect(ItemCounting.array(at: ["items"]).count(in: ["items": [1, 2, 3]]) == 3)
        #expect(ItemCounting.array(at: ["items"]).count(in: [1, 2]) == 2)
        #expect(ItemCounting.array(at: ["items"]).count(in: ["other": 1]) == 0)
        #expect(ItemCounting.oneIfPresent.count(in: ["id": "1"]) == 1)
        #expect(ItemCounting.oneIfPresent.count(in: nil) == 0)
    }

    @Test func unknownPricesHaveNoWorstCase() {
        #expect(Price.undisclosed("x").worstCase(for: [:]) == nil)
        #expect(Price.reportedByProvider(.cny, "x").worstCase(for: [:]) == nil)
        #expect(Price.free("x").worstCase(for: [:]) == .zero(.cny))
    }
}
