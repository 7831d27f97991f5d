import Locking
import Wire

/// Output the stdio loop writes to, with waits for a message that resume the moment it
/// is written: no polling, no sleeping.
public final class MemoryOutput: ByteSink {
    private struct Waiter {
        let matches: @Sendable (JSONValue) -> Bool
        let continuation: CheckedContinuation<JSONValue, Never>
    }

    private struct State {
        var lines: [String] = []
        var messages: [JSONValue] = []
        var waiters: [Waiter] = []
    }

    private let state = Locked(State())

    /// Creates an empty output.
    public init() {}

    /// Records a line the loop wrote.
    public func write(_ bytes: [UInt8]) -> Bool {
        let line = String(decoding: bytes.last == 0x0A ? bytes.dropLast() : bytes[...], as: UTF8.self)
        let message = try? JSONParser.parse(line)
        let ready = state.withLock { state -> [(CheckedContinuation<JSONValue, Never>, JSONValue)] in
            state.lines.append(line)
            guard let message else { return [] }
            state.messages.append(message)
            let matching = state.waiters.filter { $0.matches(message) }
            state.waiters.removeAll { $0.matches(message) }
            return matching.map { ($0.continuation, message) }
        }
        for (continuation, message) in ready { continuation.resume(returning: message) }
        return true
    }

    /// Every line written so far.
    public var lines: [String] { state.withLock { $0.lines } }

    /// Every message written so far.
    public var messages: [JSONValue] { state.withLock { $0.messages } }

    /// The first message (already written or still to come) that matches.
    public func message(where matches: @escaping @Sendable (JSONValue) -> Bool) async -> JSONValue {
        await withCheckedContinuation { continuation in
            let existing = state.withLock { state -> JSONValue? in
                if let found = state.messages.first(where: matches) { return found }
                state.waiters.append(Waiter(matches: matches, continuation: continuation))
                return nil
            }
            if let existing { continuation.resume(returning: existing) }
        }
    }

    /// The response to request `id`.
    public func response(to id: Int) async -> JSONValue {
        await message { $0["id"] == .int(id) && $0["method"] == nil }
    }

    /// Whether a response to `id` was written.
    public func hasResponse(to id: Int) -> Bool {
        messages.contains { $0["id"] == .int(id) && $0["method"] == nil }
    }
}
