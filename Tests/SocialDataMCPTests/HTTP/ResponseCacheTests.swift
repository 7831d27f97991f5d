import SocialDataMCP
import Testing

@Suite struct ResponseCacheTests {
    @Test func answersWithinMaxAgeOnly() {
        let cache = ResponseCache()
        cache.store("k", payload: UpstreamPayload(data: ["a": 1]), size: 10)
        #expect(cache.lookup("k", maxAge: .seconds(60))?.payload.data == ["a": 1])
        #expect(cache.lookup("k", maxAge: .zero) == nil || cache.lookup("k", maxAge: .zero)?.ageSeconds == 0)
        #expect(cache.lookup("other", maxAge: .seconds(60)) == nil)
    }

    @Test func isBoundedByCountAndBytesEvictingTheLeastRecentlyUsed() {
        let cache = ResponseCache(maximumEntries: 3, maximumBytes: 1_000)
        for key in ["a", "b", "c"] { cache.store(key, payload: UpstreamPayload(data: .string(key)), size: 10) }
        _ = cache.lookup("a", maxAge: .seconds(60))
        cache.store("d", payload: UpstreamPayload(data: "d"), size: 10)
        #expect(cache.count == 3)
        #expect(cache.lookup("b", maxAge: .seconds(60)) == nil, "b was least recently used")
        #expect(cache.lookup("a", maxAge: .seconds(60)) != nil)
        cache.store("big", payload: UpstreamPayload(data: "x"), size: 240)
        cache.store("big2", payload: UpstreamPayload(data: "y"), size: 240)
        cache.store("big3", payload: UpstreamPayload(data: "z"), size: 240)
        #expect(cache.count <= 3)
        cache.store("huge", payload: UpstreamPayload(data: "h"), size: 900)
        #expect(cache.lookup("huge", maxAge: .seconds(60)) == nil, "an entry over a quarter of the budget is not kept")
    }
}
