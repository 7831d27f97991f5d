import Foundation
import Locking
import Wire

/// A clock that moves only when told to, for tests of anything time-dependent: nothing
/// sleeps for real, and a test decides exactly when each wait ends.
///
/// A sleeper wakes when `advance` moves time to or past its deadline, or throws when its
/// task is cancelled. `sleepers(atLeast:)` lets a test wait until the code under test is
/// actually waiting, so advancing never races the code it is meant to release.
public final class ManualClock: ServerClock {
    private struct Sleeper {
        let id: Int
        let deadline: ContinuousClock.Instant
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct Watcher {
        let id: Int
        let count: Int
        let continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var offset: Duration = .zero
        var sleepers: [Sleeper] = []
        var watchers: [Watcher] = []
        var nextID = 0
        var cancelledEarly: Set<Int> = []
    }

    private let origin: ContinuousClock.Instant
    private let originDate: Date
    private let state = Locked(State())

    /// Creates a clock standing at `date` on the wall clock.
    public init(date: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        origin = ContinuousClock.now
        originDate = date
    }

    /// The current instant: the origin plus every advance so far.
    public var now: ContinuousClock.Instant { origin + state.withLock { $0.offset } }

    /// The wall-clock date, moved by the same advances.
    public func currentDate() -> Date {
        originDate.addingTimeInterval(state.withLock { $0.offset }.seconds)
    }

    /// How many tasks are sleeping on this clock.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// The earliest deadline anyone sleeps until, if anyone does.
    public var nextDeadline: ContinuousClock.Instant? {
        state.withLock { $0.sleepers.map(\.deadline).min() }
    }

    /// Suspends until `advance` reaches `deadline`.
    public func sleep(until deadline: ContinuousClock.Instant) async throws(CancellationError) {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        do {
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    let (outcome, watchers) = state.withLock { state -> (Result<Void, any Error>?, [Watcher]) in
                        if state.cancelledEarly.remove(id) != nil { return (.failure(CancellationError()), []) }
                        if origin + state.offset >= deadline { return (.success(()), []) }
                        state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                        return (nil, Self.satisfiedWatchers(&state))
                    }
                    if let outcome { continuation.resume(with: outcome) }
                    for watcher in watchers { watcher.continuation.resume() }
                }
            } onCancel: {
                let sleeper = state.withLock { state -> Sleeper? in
                    if let index = state.sleepers.firstIndex(where: { $0.id == id }) {
                        return state.sleepers.remove(at: index)
                    }
                    state.cancelledEarly.insert(id)
                    return nil
                }
                sleeper?.continuation.resume(throwing: CancellationError())
            }
        } catch {
            throw CancellationError()
        }
        _ = state.withLock { $0.cancelledEarly.remove(id) }
    }

    /// Moves time forward by `duration`, waking every sleeper whose deadline it reaches.
    public func advance(by duration: Duration) {
        let woken = state.withLock { state -> [Sleeper] in
            state.offset += duration
            let now = origin + state.offset
            let due = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in woken { sleeper.continuation.resume() }
    }

    /// Moves time to the earliest sleeper's deadline (if anyone sleeps) and wakes it.
    public func advanceToNextDeadline() {
        guard let deadline = nextDeadline else { return }
        advance(by: max(.zero, deadline - now))
    }

    /// Returns once at least `count` tasks are sleeping on this clock, or the calling
    /// task is cancelled.
    public func sleepers(atLeast count: Int) async {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state -> Bool in
                    if state.sleepers.count >= count || state.cancelledEarly.remove(id) != nil { return true }
                    state.watchers.append(Watcher(id: id, count: count, continuation: continuation))
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let watcher = state.withLock { state -> Watcher? in
                if let index = state.watchers.firstIndex(where: { $0.id == id }) {
                    return state.watchers.remove(at: index)
                }
                state.cancelledEarly.insert(id)
                return nil
            }
            watcher?.continuation.resume()
        }
        _ = state.withLock { $0.cancelledEarly.remove(id) }
    }

    /// Runs `body`, advancing to each deadline it sleeps until as soon as it sleeps, so
    /// backoff and polling run at once in a test while their timing stays observable.
    public func run<Value: Sendable>(_ body: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let work = Task { try await body() }
        let driver = Task {
            while !Task.isCancelled {
                await sleepers(atLeast: 1)
                advanceToNextDeadline()
            }
        }
        defer { driver.cancel() }
        return try await work.value
    }

    private static func satisfiedWatchers(_ state: inout State) -> [Watcher] {
        let sleeping = state.sleepers.count
        let ready = state.watchers.filter { $0.count <= sleeping }
        state.watchers.removeAll { $0.count <= sleeping }
        return ready
    }
}
