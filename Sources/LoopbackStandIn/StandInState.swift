import Foundation
import Locking

/// What a stand-in remembers between requests.
final class StandInState: Sendable {
    /// When each GEO key was last served, for the 1 request/s limit.
    let geoLastRequest = Locked<[String: Date]>([:])
    /// How many times each CreatiVault task's status was polled.
    let taskPolls = Locked<[String: Int]>([:])

    /// Whether a GEO request with `key` at `now` is within the one-per-second limit;
    /// records it when it is.
    func admitGEO(key: String, now: Date = Date()) -> Bool {
        geoLastRequest.withLock { last in
            if let previous = last[key], now.timeIntervalSince(previous) < 1.0 { return false }
            last[key] = now
            return true
        }
    }

    /// Counts a status poll of `task` and returns how many there have been.
    func poll(_ task: String) -> Int {
        taskPolls.withLock { polls in
            polls[task, default: 0] += 1
            return polls[task, default: 0]
        }
    }
}
