/// Raw DEFLATE (RFC 1951) compression: LZ77 over a 32 KiB window, coded with the fixed
/// Huffman table, in one block.
///
/// Simpler than dynamic tables and still about halves an executable, which is what a
/// bundle mostly holds; ZIP readers inflate it like any other deflated entry.
enum Deflate {
    private static let window = 32_768
    private static let minimumMatch = 3
    private static let maximumMatch = 258
    /// How many earlier positions with the same 3-byte hash are tried: speed against ratio.
    private static let chainLimit = 16
    private static let hashBits = 15

    private static let lengthBases: [Int] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227,
        258,
    ]
    private static let lengthExtraBits: [Int] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ]
    private static let distanceBases: [Int] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
        6145, 8193, 12289, 16385, 24577,
    ]
    private static let distanceExtraBits: [Int] = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
    ]

    /// The fixed literal/length code of each symbol 0...287: bits already reversed for an
    /// LSB-first stream, and their count.
    private static let literalCodes: [(bits: UInt32, count: Int)] = (0..<288).map { symbol in
        let (code, count): (Int, Int)
        switch symbol {
        case 0..<144: (code, count) = (0x30 + symbol, 8)
        case 144..<256: (code, count) = (0x190 + symbol - 144, 9)
        case 256..<280: (code, count) = (symbol - 256, 7)
        default: (code, count) = (0xC0 + symbol - 280, 8)
        }
        return (reversed(UInt32(code), count), count)
    }

    /// The length code (0...28) of each match length 3...258.
    private static let lengthCodes: [Int] = (0...maximumMatch).map { length in
        guard length >= minimumMatch else { return 0 }
        return (lengthBases.lastIndex { $0 <= length } ?? 0)
    }

    private static func reversed(_ code: UInt32, _ count: Int) -> UInt32 {
        var result: UInt32 = 0
        for bit in 0..<count where code & (1 << UInt32(bit)) != 0 { result |= 1 << UInt32(count - 1 - bit) }
        return result
    }

    /// The compressed bytes of `input`.
    static func compress(_ input: [UInt8]) -> [UInt8] {
        var writer = BitWriter()
        writer.reserve(input.count / 2 + 64)
        writer.write(0b011, count: 3)  // final block, fixed Huffman codes
        input.withUnsafeBufferPointer { bytes in
            var head = [Int32](repeating: -1, count: 1 << hashBits)
            var previous = [Int32](repeating: -1, count: window)
            let count = bytes.count
            func hash(_ position: Int) -> Int {
                let value = Int(bytes[position]) << 16 | Int(bytes[position + 1]) << 8 | Int(bytes[position + 2])
                return (value &* 2_654_435_761) >> (32 - hashBits) & ((1 << hashBits) - 1)
            }
            func insert(_ position: Int) {
                guard position + minimumMatch <= count else { return }
                let key = hash(position)
                previous[position & (window - 1)] = head[key]
                head[key] = Int32(position)
            }
            var position = 0
            while position < count {
                var bestLength = 0
                var bestDistance = 0
                if position + minimumMatch <= count {
                    var candidate = Int(head[hash(position)])
                    var tries = chainLimit
                    let limit = min(maximumMatch, count - position)
                    while candidate >= 0, position - candidate <= window, tries > 0 {
                        var length = 0
                        while length < limit, bytes[candidate + length] == bytes[position + length] { length += 1 }
                        if length > bestLength {
                            bestLength = length
                            bestDistance = position - candidate
                            if length == limit { break }
                        }
                        let next = Int(previous[candidate & (window - 1)])
                        guard next < candidate else { break }
                        candidate = next
                        tries -= 1
                    }
                }
                if bestLength >= minimumMatch {
                    writeMatch(length: bestLength, distance: bestDistance, to: &writer)
                    for step in 0..<bestLength { insert(position + step) }
                    position += bestLength
                } else {
                    let code = literalCodes[Int(bytes[position])]
                    writer.write(code.bits, count: code.count)
                    insert(position)
                    position += 1
                }
            }
        }
        let end = literalCodes[256]
        writer.write(end.bits, count: end.count)
        return writer.finish()
    }

    private static func writeMatch(length: Int, distance: Int, to writer: inout BitWriter) {
        let lengthCode = lengthCodes[length]
        let symbol = literalCodes[257 + lengthCode]
        writer.write(symbol.bits, count: symbol.count)
        writer.write(UInt32(length - lengthBases[lengthCode]), count: lengthExtraBits[lengthCode])
        let distanceCode = distanceBases.lastIndex { $0 <= distance } ?? 0
        writer.write(reversed(UInt32(distanceCode), 5), count: 5)
        writer.write(UInt32(distance - distanceBases[distanceCode]), count: distanceExtraBits[distanceCode])
    }

    /// Packs bit fields least significant bit first, as DEFLATE orders them.
    private struct BitWriter {
        private var bytes: [UInt8] = []
        private var buffer: UInt64 = 0
        private var filled = 0

        mutating func reserve(_ capacity: Int) { bytes.reserveCapacity(capacity) }

        mutating func write(_ bits: UInt32, count: Int) {
            guard count > 0 else { return }
            buffer |= UInt64(bits) << UInt64(filled)
            filled += count
            while filled >= 8 {
                bytes.append(UInt8(truncatingIfNeeded: buffer))
                buffer >>= 8
                filled -= 8
            }
        }

        mutating func finish() -> [UInt8] {
            if filled > 0 { bytes.append(UInt8(truncatingIfNeeded: buffer)) }
            return bytes
        }
    }
}
