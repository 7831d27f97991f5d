import Foundation

/// A one-shot signal between a test and a handler: waiters return once `open()` was called.
final class Gate: @unchecked Sendable {
    // @unchecked: all state is behind `lock`; `group` is thread-safe.
    private let lock = NSLock()
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    /// Entered once at creation and left by `open()`, for the bounded wait on a Dispatch thread.
    private let group = DispatchGroup()

    init() { group.enter() }

    func open() {
        lock.lock()
        let wasOpen = isOpen
        isOpen = true
        let waiting = waiters
        waiters = []
        lock.unlock()
        guard !wasOpen else { return }
        group.leave()
        for waiter in waiting { waiter.resume() }
    }

    /// Waits without a bound; for handlers, which the test always releases.
    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.lock()
            if isOpen {
                lock.unlock()
                continuation.resume()
            } else {
                waiters.append(continuation)
                lock.unlock()
            }
        }
    }

    /// Waits at most `seconds` on a Dispatch thread (no polling, no pool thread held):
    /// true when the gate opened in time.
    func wait(seconds: Double) async -> Bool {
        await offPool { [group] in group.wait(timeout: .now() + seconds) == .success }
    }
}
