import Foundation
import Testing
import Upstream

@Suite struct RetryPolicyTests {
    @Test func honoursRetryAfterInSecondsAndAsADate() {
        #expect(RetryPolicy.retryAfter("2") == .seconds(2))
        #expect(RetryPolicy.retryAfter(" 0 ") == .seconds(0))
        #expect(RetryPolicy.retryAfter(nil) == nil)
        #expect(RetryPolicy.retryAfter("soon") == nil)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let later = RetryPolicy.retryAfter("Tue, 14 Nov 2023 22:13:25 GMT", now: now)
        #expect(later == .seconds(5))
    }

    @Test func backoffGrowsAndIsJittered() {
        let policy = RetryPolicy()
        for attempt in 1...3 {
            let ceiling = policy.baseDelay * (1 << (attempt - 1))
            let delay = policy.delay(afterAttempt: attempt, retryAfter: nil)
            #expect(delay <= ceiling && delay >= ceiling / 2)
        }
        let capped = policy.delay(afterAttempt: 1, retryAfter: .seconds(600))
        #expect(capped <= policy.maximumRetryAfter + .milliseconds(100))
    }
}
