import Foundation

/// A one-shot signal between a test and a handler: `wait()` returns once `open()` was called.
final class Gate: @unchecked Sendable {
    // @unchecked: all state is behind `lock`.
    private let lock = NSLock()
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func open() {
        lock.lock()
        isOpen = true
        let waiting = waiters
        waiters = []
        lock.unlock()
        for waiter in waiting { waiter.resume() }
    }

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

    /// Waits on a Dispatch thread with a bound, for tests that must not hang: true when opened.
    func wait(seconds: Double) async -> Bool {
        await offPool { [self] in
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                lock.lock()
                let done = isOpen
                lock.unlock()
                if done { return true }
                usleep(2_000)
            }
            return false
        }
    }
}
