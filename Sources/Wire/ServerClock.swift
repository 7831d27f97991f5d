import Foundation

/// The time source for everything that waits or expires: deadlines, cache ages, request
/// spacing, retry backoff, task polling, and the calendar day a limit counts in.
///
/// Injected rather than read from `ContinuousClock` and `Date()` directly, so tests drive
/// time with `ManualClock` instead of sleeping. Instants stay `ContinuousClock.Instant`,
/// the type deadlines already have everywhere.
public protocol ServerClock: Sendable {
    /// The monotonic now, for deadlines, ages and spacing.
    var now: ContinuousClock.Instant { get }

    /// The wall-clock date, for calendar boundaries (a day starts at local midnight).
    func currentDate() -> Date

    /// Suspends until `deadline`; throws when the calling task is cancelled first.
    func sleep(until deadline: ContinuousClock.Instant) async throws(CancellationError)
}

extension ServerClock {
    /// Suspends for `duration`; throws when the calling task is cancelled first.
    public func sleep(for duration: Duration) async throws(CancellationError) {
        try await sleep(until: now + duration)
    }
}

/// The real clocks: `ContinuousClock` and `Date()`.
public struct SystemClock: ServerClock {
    /// Creates the system clock.
    public init() {}

    /// The continuous clock's now.
    public var now: ContinuousClock.Instant { ContinuousClock.now }

    /// `Date()`.
    public func currentDate() -> Date { Date() }

    /// `Task.sleep` on the continuous clock.
    public func sleep(until deadline: ContinuousClock.Instant) async throws(CancellationError) {
        do {
            try await Task.sleep(until: deadline, clock: .continuous)
        } catch {
            // Task.sleep throws nothing but cancellation.
            throw CancellationError()
        }
    }
}
