import Foundation

/// The needles of every registered secret, compiled once for a single pass over output.
///
/// Output is scanned once whatever the number of needles: two bitmaps of two-byte pairs
/// (bytes 0–1 and 2–3 of each needle) reject almost every position at the cost of two
/// loads, and only positions that pass look up the needles sharing their first six or
/// eight bytes. Longest needle first, so a whole cookie is masked as one and not pair
/// by pair.
final class SecretMatcher: Sendable {
    /// Needles shorter than this are not compiled (`SecretForms` never makes them).
    static let minimumNeedleBytes = 6

    private let needles: [SecretForms.Needle]
    /// 65,536 bits each: the two-byte pairs needles start with, and those at offset 2.
    private let leading: [UInt64]
    private let following: [UInt64]
    /// Needle indexes by their first eight bytes (needles of 8 bytes or more), longest first.
    private let byEight: [UInt64: [Int]]
    /// Needle indexes by their first six bytes (needles of 6 or 7 bytes).
    private let bySix: [UInt64: [Int]]

    /// Compiles `needles`.
    init(_ needles: [SecretForms.Needle]) {
        let sorted = needles.filter { $0.bytes.count >= Self.minimumNeedleBytes }
            .sorted { $0.bytes.count > $1.bytes.count }
        var leading = [UInt64](repeating: 0, count: 1024)
        var following = [UInt64](repeating: 0, count: 1024)
        var byEight: [UInt64: [Int]] = [:]
        var bySix: [UInt64: [Int]] = [:]
        for (index, needle) in sorted.enumerated() {
            needle.bytes.withUnsafeBufferPointer { bytes in
                guard let start = bytes.baseAddress else { return }
                Self.set(&leading, Self.pair(start))
                Self.set(&following, Self.pair(start + 2))
                if bytes.count >= 8 {
                    byEight[Self.key(start, 8), default: []].append(index)
                } else {
                    bySix[Self.key(start, 6), default: []].append(index)
                }
            }
        }
        self.needles = sorted
        self.leading = leading
        self.following = following
        self.byEight = byEight
        self.bySix = bySix
    }

    /// `bytes` with every needle replaced, or `nil` when none occurs (no copy is made).
    func replace(in bytes: [UInt8]) -> [UInt8]? {
        guard !needles.isEmpty, bytes.count >= Self.minimumNeedleBytes else { return nil }
        var output: [UInt8] = []
        var copiedUpTo = 0
        var found = false
        bytes.withUnsafeBufferPointer { hay in
            leading.withUnsafeBufferPointer { leading in
                following.withUnsafeBufferPointer { following in
                    guard let base = hay.baseAddress else { return }
                    var position = 0
                    let last = hay.count - Self.minimumNeedleBytes
                    while position <= last {
                        let start = base + position
                        guard Self.isSet(leading, Self.pair(start)), Self.isSet(following, Self.pair(start + 2)),
                            let needle = match(at: start, remaining: hay.count - position)
                        else {
                            position += 1
                            continue
                        }
                        if !found {
                            found = true
                            output.reserveCapacity(hay.count)
                        }
                        output.append(contentsOf: hay[copiedUpTo..<position])
                        output.append(contentsOf: needle.replacement)
                        position += needle.bytes.count
                        copiedUpTo = position
                    }
                }
            }
        }
        guard found else { return nil }
        output.append(contentsOf: bytes[copiedUpTo...])
        return output
    }

    /// The longest needle starting at `start`, if any.
    private func match(at start: UnsafePointer<UInt8>, remaining: Int) -> SecretForms.Needle? {
        if remaining >= 8, let indexes = byEight[Self.key(start, 8)] {
            for index in indexes where needles[index].bytes.count <= remaining {
                if memcmp(start, needles[index].bytes, needles[index].bytes.count) == 0 { return needles[index] }
            }
        }
        if let indexes = bySix[Self.key(start, 6)] {
            for index in indexes where needles[index].bytes.count <= remaining {
                if memcmp(start, needles[index].bytes, needles[index].bytes.count) == 0 { return needles[index] }
            }
        }
        return nil
    }

    private static func pair(_ bytes: UnsafePointer<UInt8>) -> Int { Int(bytes[0]) << 8 | Int(bytes[1]) }

    private static func set(_ bits: inout [UInt64], _ pair: Int) { bits[pair >> 6] |= 1 << UInt64(pair & 63) }

    private static func isSet(_ bits: UnsafeBufferPointer<UInt64>, _ pair: Int) -> Bool {
        bits[pair >> 6] & (1 << UInt64(pair & 63)) != 0
    }

    private static func key(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        var key: UInt64 = 0
        for offset in 0..<count { key = key << 8 | UInt64(bytes[offset]) }
        return key
    }
}
