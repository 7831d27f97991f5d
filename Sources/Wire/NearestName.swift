/// The valid names closest to a mistyped one, for "did you mean" in messages.
///
/// Commands, clients, options, settings and tool names are all short identifiers typed by
/// hand, so one measure serves them all: the edit distance counting a swap of two
/// neighbouring letters as one edit (`instal`, `datanexsu`), plus names that the typed
/// one begins, ends or is contained in (`claude` → `claude-code`, `claude-desktop`).
public enum NearestName {
    /// The candidates close enough to `name` to suggest, nearest first (at most three).
    ///
    /// Nothing when `name` is empty or already one of them: a suggestion is only for a
    /// name that is not valid.
    public static func matches(for name: String, among candidates: [String]) -> [String] {
        let typed = name.lowercased()
        guard !typed.isEmpty, !candidates.contains(name) else { return [] }
        // Short names allow fewer edits, so `ls` does not suggest every two-letter word.
        let allowed = max(1, min(3, typed.count / 3))
        var scored: [(name: String, distance: Int)] = []
        for candidate in candidates {
            let lowered = candidate.lowercased()
            let distance = Self.distance(typed, lowered)
            let overlaps =
                typed.count >= 3 && lowered.count >= 3 && (lowered.contains(typed) || typed.hasPrefix(lowered))
            if distance <= allowed || overlaps { scored.append((candidate, distance)) }
        }
        var seen: Set<String> = []
        return scored.sorted { ($0.distance, $0.name) < ($1.distance, $1.name) }
            .map(\.name)
            .filter { seen.insert($0).inserted }
            .prefix(3)
            .map { $0 }
    }

    /// `did you mean 'install'?` (or `'a' or 'b'`), or `nil` when nothing is close.
    public static func question(for name: String, among candidates: [String]) -> String? {
        let found = matches(for: name, among: candidates)
        guard !found.isEmpty else { return nil }
        return "did you mean " + found.map { "'\($0)'" }.joined(separator: " or ") + "?"
    }

    /// The number of single-letter insertions, deletions, substitutions and swaps of two
    /// neighbouring letters that turn `first` into `second` (optimal string alignment).
    public static func distance(_ first: String, _ second: String) -> Int {
        let a = Array(first)
        let b = Array(second)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        // Three rows are enough: the swap looks back two rows.
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    best = min(best, before[j - 2] + 1)
                }
                current[j] = best
            }
            (before, previous, current) = (previous, current, before)
        }
        return previous[b.count]
    }
}
