import Catalog
import SocialDataMCPTesting
import Testing
import Upstream

@Suite struct ResponseCacheTests {
    @Test func answersWithinMaxAgeOnly() {
        let clock = ManualClock()
        let cache = ResponseCache(clock: clock)
        cache.store("k", payload: UpstreamPayload(data: ["a": 1]), size: 10)
        #expect(cache.lookup("k", maxAge: .seconds(60))?.payload.data == ["a": 1])
        #expect(cache.lookup("k", maxAge: .zero)?.ageSeconds == 0, "no time has passed on the clock")
        #expect(cache.lookup("other", maxAge: .seconds(60)) == nil)
        clock.advance(by: .seconds(59))
        #expect(cache.lookup("k", maxAge: .seconds(60))?.ageSeconds == 59)
        #expect(cache.lookup("k", maxAge: .seconds(30)) == nil, "too old for a call that wants 30 s")
        clock.advance(by: .seconds(2))
        #expect(cache.lookup("k", maxAge: .seconds(60)) == nil, "expired")
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

    @Test func identicalReadsInFlightShareOneFetch() async throws {
        let cache = ResponseCache()
        guard case .lead = await cache.claim("k", maxAge: .seconds(60)) else {
            Issue.record("the first caller leads")
            return
        }
        async let follower = cache.claim("k", maxAge: .seconds(60))
        // The leader finishes only once the follower has joined.
        while cache.followerCount("k") == 0 { await Task.yield() }
        cache.complete("k", payload: UpstreamPayload(data: "fresh"), size: 5, store: true)
        guard case .hit(let hit) = await follower else {
            Issue.record("the follower gets the leader's answer")
            return
        }
        #expect(hit.isShared && hit.payload.data == "fresh")
        guard case .hit(let stored) = await cache.claim("k", maxAge: .seconds(60)) else {
            Issue.record("and it is cached")
            return
        }
        #expect(!stored.isShared)
    }

    @Test func aFailedLeadLetsFollowersFetchThemselves() async throws {
        let cache = ResponseCache()
        _ = await cache.claim("k", maxAge: .seconds(60))
        async let follower = cache.claim("k", maxAge: .seconds(60))
        while cache.followerCount("k") == 0 { await Task.yield() }
        cache.complete("k", payload: nil, size: 0, store: true)
        guard case .fetchAlone = await follower else {
            Issue.record("after a failure the follower fetches alone")
            return
        }
        guard case .lead = await cache.claim("k", maxAge: .seconds(60)) else {
            Issue.record("and nothing was cached")
            return
        }
    }
}
