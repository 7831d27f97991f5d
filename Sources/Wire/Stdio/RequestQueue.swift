/// Request ids waiting their turn, first in first out, with an O(1) `popFirst`.
///
/// A pipelined burst can leave tens of thousands waiting; `Array.removeFirst` would make
/// starting them quadratic.
struct RequestQueue {
    private var ids: [RequestID] = []
    private var head = 0

    /// Adds an id at the back.
    mutating func append(_ id: RequestID) {
        ids.append(id)
    }

    /// Removes and returns the id at the front.
    mutating func popFirst() -> RequestID? {
        guard head < ids.count else { return nil }
        let id = ids[head]
        head += 1
        if head >= 1024, head * 2 >= ids.count {
            ids.removeFirst(head)
            head = 0
        }
        return id
    }

    /// Removes `id` wherever it waits (a cancelled request that never started).
    mutating func remove(_ id: RequestID) {
        guard let index = ids[head...].firstIndex(of: id) else { return }
        ids.remove(at: index)
    }
}
