/// A gzip body that is small on the wire and huge once decompressed, for testing that the
/// server counts an answer's bytes after decompression.
///
/// Written by hand (no zlib in the package): one fixed-Huffman deflate block holding a
/// zero byte and then back-references of 258 bytes at distance 1, 13 bits each, so every
/// compressed byte expands to about 159 bytes. The trailer's CRC is left zero: a client
/// that decompresses to the end reports a bad checksum, and one that cuts it off never
/// gets there.
public enum GzipBomb {
    /// The gzip bytes, about `compressedBytes` long.
    public static func make(compressedBytes: Int) -> [UInt8] {
        var bits = BitWriter()
        bits.write(1, count: 1)  // BFINAL
        bits.write(1, count: 2)  // BTYPE 01: fixed Huffman codes
        bits.writeCode(0x30, length: 8)  // literal 0
        var expanded = 1
        // Eight back-references are 104 bits, a whole number of bytes: after the first
        // eight, every further eight add the same 13 bytes, so those are copied rather
        // than packed bit by bit (which took seconds in a debug build, in the test process).
        for _ in 0..<16 {
            bits.writeCode(0xC5, length: 8)  // length symbol 285: 258 bytes
            bits.writeCode(0, length: 5)  // distance symbol 0: distance 1
            expanded += 258
        }
        let period = Array(bits.bytes.suffix(13))
        while bits.bytes.count < compressedBytes {
            bits.bytes.append(contentsOf: period)
            expanded += 8 * 258
        }
        bits.writeCode(0, length: 7)  // end of block
        let header: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 255]
        let size = UInt32(truncatingIfNeeded: expanded)
        let trailer: [UInt8] = [0, 0, 0, 0] + (0..<4).map { UInt8(truncatingIfNeeded: size >> (8 * $0)) }
        return header + bits.finished() + trailer
    }

    /// How many bytes `make(compressedBytes:)` expands to, near enough.
    public static func expandedSize(compressedBytes: Int) -> Int { compressedBytes * 8 / 13 * 258 }

    /// Deflate's bit order: values least significant bit first, Huffman codes most
    /// significant bit first.
    private struct BitWriter {
        var bytes: [UInt8] = []
        private var current: UInt32 = 0
        private var filled = 0

        mutating func write(_ value: UInt32, count: Int) {
            for index in 0..<count {
                current |= ((value >> UInt32(index)) & 1) << UInt32(filled)
                filled += 1
                if filled == 8 {
                    bytes.append(UInt8(current))
                    current = 0
                    filled = 0
                }
            }
        }

        mutating func writeCode(_ code: UInt32, length: Int) {
            var reversed: UInt32 = 0
            for index in 0..<length { reversed |= ((code >> UInt32(index)) & 1) << UInt32(length - 1 - index) }
            write(reversed, count: length)
        }

        mutating func finished() -> [UInt8] {
            if filled > 0 { bytes.append(UInt8(current)) }
            return bytes
        }
    }
}
