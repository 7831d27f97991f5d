import Locking
import Testing

@testable import HTTPServer

@Suite("Fair in-flight limiter")
struct FairInFlightLimiterTests {
    /// Yields until `condition` holds, a bounded number of times; false if it never did.
    private func eventually(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<100_000 {
            if condition() { return true }
            await Task.yield()
        }
        return condition()
    }

    @Test func aKeyHoldsAtMostItsShare() async throws {
        let limiter = FairInFlightLimiter(perKey: 2, total: 10)
        try await limiter.acquire("ana")
        try await limiter.acquire("ana")
        let third = Task { try await limiter.acquire("ana") }
        #expect(await eventually { limiter.waiting("ana") == 1 })
        // Another member is not held up by ana's queue.
        try await limiter.acquire("bo")
        #expect(limiter.inFlight("bo") == 1)
        limiter.release("ana")
        try await third.value
        #expect(limiter.inFlight("ana") == 2)
        #expect(limiter.waiting("ana") == 0)
    }

    @Test func waitersAreServedRoundRobinAcrossKeys() async throws {
        let limiter = FairInFlightLimiter(perKey: 1, total: 1)
        try await limiter.acquire("holder")
        let granted = Locked<[String]>([])
        // ana queues three calls before bo and cy queue one each.
        var tasks: [Task<Void, any Error>] = []
        for key in ["ana", "ana", "ana", "bo", "cy"] {
            let before = limiter.waiting(key)
            tasks.append(
                Task {
                    try await limiter.acquire(key)
                    granted.withLock { $0.append(key) }
                }
            )
            #expect(await eventually { limiter.waiting(key) == before + 1 })
        }
        var holder = "holder"
        for step in 1...5 {
            limiter.release(holder)
            #expect(await eventually { granted.withLock { $0.count } == step })
            holder = granted.withLock { $0.last } ?? ""
        }
        limiter.release(holder)
        for task in tasks { try await task.value }
        #expect(granted.withLock { $0 } == ["ana", "bo", "cy", "ana", "ana"])
        #expect(limiter.inFlight("ana") == 0)
    }

    @Test func aCancelledWaiterHoldsNothing() async throws {
        let limiter = FairInFlightLimiter(perKey: 1, total: 5)
        try await limiter.acquire("ana")
        let waiter = Task { try await limiter.acquire("ana") }
        #expect(await eventually { limiter.waiting("ana") == 1 })
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(limiter.waiting("ana") == 0)
        limiter.release("ana")
        #expect(limiter.inFlight("ana") == 0)
        let value = try await limiter.withPermit("ana") { limiter.inFlight("ana") }
        #expect(value == 1)
        #expect(limiter.inFlight("ana") == 0)
    }
}
