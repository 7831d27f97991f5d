import Foundation
import SocialDataMCPTesting
import Wire

/// Stdout for a client that can stop reading: while stalled, `write` blocks exactly as
/// `write(2)` blocks on a full pipe; once reopened, writes go on to `output`.
final class StalledOutput: ByteSink, @unchecked Sendable {
    // NSCondition: `write` is called on the channel's writer thread.
    private let condition = NSCondition()
    private var isStalled = false
    private var blockedWaiters: [CheckedContinuation<Void, Never>] = []
    private var isBlocked = false
    let output: MemoryOutput

    init(_ output: MemoryOutput) {
        self.output = output
    }

    /// From now on, writes block.
    func stall() {
        condition.lock()
        isStalled = true
        condition.unlock()
    }

    /// Lets every blocked and later write through.
    func resume() {
        condition.lock()
        isStalled = false
        condition.broadcast()
        condition.unlock()
    }

    /// Returns once a write is blocked.
    func blockedWrite() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            let blocked = isBlocked
            if !blocked { blockedWaiters.append(continuation) }
            condition.unlock()
            if blocked { continuation.resume() }
        }
    }

    func write(_ bytes: [UInt8]) -> Bool {
        condition.lock()
        if isStalled {
            isBlocked = true
            let waiters = blockedWaiters
            blockedWaiters = []
            for waiter in waiters { waiter.resume() }
        }
        while isStalled { condition.wait() }
        isBlocked = false
        condition.unlock()
        return output.write(bytes)
    }
}
