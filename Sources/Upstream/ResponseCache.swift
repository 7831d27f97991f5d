import Catalog
import Locking
import Wire

/// Recent successful reads, so an agent that asks the same question twice pays once.
///
/// Bounded by entry count and by bytes, evicting the least recently used entry; only
/// reads are stored (the runner never offers writes, polls or errors). An identical read
/// already in flight is joined rather than repeated: agents fire duplicate calls in
/// parallel, and each would otherwise miss the cache and be paid for.
public final class ResponseCache: Sendable {
    /// A stored answer and its age.
    public struct Hit: Sendable {
        /// The payload as it came back the first time.
        public let payload: UpstreamPayload
        /// Seconds since it was fetched.
        public let ageSeconds: Int
        /// Whether it came from an identical call running at the same time.
        public let isShared: Bool
    }

    /// What a caller should do about a read.
    public enum Claim: Sendable {
        /// Use this answer.
        case hit(Hit)
        /// Fetch it, then `complete` the key so that callers waiting on it are answered.
        case lead
        /// Fetch it without completing anything (the call it waited for failed).
        case fetchAlone
    }

    private struct Entry {
        let payload: UpstreamPayload
        let storedAt: ContinuousClock.Instant
        let size: Int
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var recency: [String] = []
        var bytes = 0
        var pending: [String: [CheckedContinuation<Claim, Never>]] = [:]
    }

    private let state = Locked(State())
    private let maximumEntries: Int
    private let maximumBytes: Int
    private let clock: any ServerClock

    /// Creates a cache holding at most `maximumEntries` answers and `maximumBytes` of JSON,
    /// aging them by `clock`.
    public init(maximumEntries: Int = 256, maximumBytes: Int = 32 << 20, clock: any ServerClock = SystemClock()) {
        self.maximumEntries = maximumEntries
        self.maximumBytes = maximumBytes
        self.clock = clock
    }

    /// A fresh stored answer, or the answer of an identical call in flight, or the lead.
    public func claim(_ key: String, maxAge: Duration) async -> Claim {
        if let hit = lookup(key, maxAge: maxAge) { return .hit(hit) }
        return await withCheckedContinuation { continuation in
            let isLeader = state.withLock { state -> Bool in
                if state.pending[key] != nil {
                    state.pending[key]?.append(continuation)
                    return false
                }
                state.pending[key] = []
                return true
            }
            if isLeader { continuation.resume(returning: .lead) }
        }
    }

    /// Ends a lead: stores a successful answer (when `store`) and hands it, or the
    /// failure (`nil`), to every call that waited for it.
    public func complete(_ key: String, payload: UpstreamPayload?, size: Int, store: Bool) {
        if let payload, store { self.store(key, payload: payload, size: size) }
        let waiting = state.withLock { $0.pending.removeValue(forKey: key) ?? [] }
        let outcome: Claim = payload.map { .hit(Hit(payload: $0, ageSeconds: 0, isShared: true)) } ?? .fetchAlone
        for continuation in waiting { continuation.resume(returning: outcome) }
    }

    /// Ends a lead whose caller went away before its request left (a cancelled client):
    /// the first call waiting on it becomes the leader and fetches once for the rest, so
    /// one read is still paid once.
    public func handOver(_ key: String) {
        let next = state.withLock { state -> CheckedContinuation<Claim, Never>? in
            guard var waiting = state.pending[key], !waiting.isEmpty else {
                state.pending.removeValue(forKey: key)
                return nil
            }
            let leader = waiting.removeFirst()
            state.pending[key] = waiting
            return leader
        }
        next?.resume(returning: .lead)
    }

    /// The stored answer for `key` if it is at most `maxAge` old.
    public func lookup(_ key: String, maxAge: Duration) -> Hit? {
        let now = clock.now
        return state.withLock { state -> Hit? in
            guard let entry = state.entries[key] else { return nil }
            let age = now - entry.storedAt
            guard age <= maxAge else { return nil }
            if let position = state.recency.firstIndex(of: key) {
                state.recency.remove(at: position)
                state.recency.append(key)
            }
            return Hit(payload: entry.payload, ageSeconds: Int(age.components.seconds), isShared: false)
        }
    }

    /// Stores an answer of `size` bytes, evicting the oldest entries to stay in bounds.
    public func store(_ key: String, payload: UpstreamPayload, size: Int) {
        guard size <= maximumBytes / 4 else { return }
        let entry = Entry(payload: payload, storedAt: clock.now, size: size)
        state.withLock { state in
            if let old = state.entries.removeValue(forKey: key) {
                state.bytes -= old.size
                state.recency.removeAll { $0 == key }
            }
            state.entries[key] = entry
            state.recency.append(key)
            state.bytes += size
            while state.entries.count > maximumEntries || state.bytes > maximumBytes, !state.recency.isEmpty {
                let oldest = state.recency.removeFirst()
                if let evicted = state.entries.removeValue(forKey: oldest) { state.bytes -= evicted.size }
            }
        }
    }

    /// How many calls are waiting for the identical call in flight under `key`.
    public func followerCount(_ key: String) -> Int {
        state.withLock { $0.pending[key]?.count ?? 0 }
    }

    /// The number of stored answers.
    public var count: Int { state.withLock { $0.entries.count } }
}
