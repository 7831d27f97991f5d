import Foundation

/// A value behind a lock: the one piece of shared mutable state a type needs.
///
/// `Synchronization.Locked` would do, but it needs macOS 15 and the server supports macOS 14,
/// so this wraps `NSLock`, which Foundation has on every platform the package builds on.
public final class Locked<Value>: @unchecked Sendable {
    // Safe to share: `value` is only touched inside `lock`.
    private let lock = NSLock()
    private var value: Value

    /// Creates a lock around `value`.
    public init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with exclusive access to the value and returns what it returns.
    public func withLock<Result, Failure: Error>(
        _ body: (inout Value) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
