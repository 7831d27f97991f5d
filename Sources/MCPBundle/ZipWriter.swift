import Foundation

/// Writes a ZIP archive (what an MCP Bundle is): each entry deflated (``Deflate``), or
/// stored when that would not make it smaller.
///
/// Unix permissions go in each entry's external attributes, so the server binary stays
/// executable when unpacked.
public struct ZipWriter: Sendable {
    /// One file in the archive.
    public struct Entry: Sendable {
        /// The path inside the archive, with `/` separators.
        public let path: String
        /// The contents.
        public let data: [UInt8]
        /// Unix permission bits (`0o755` for an executable).
        public let mode: UInt16

        /// Creates an entry.
        public init(path: String, data: [UInt8], mode: UInt16 = 0o644) {
            self.path = path
            self.data = data
            self.mode = mode
        }
    }

    /// Why an archive cannot be written.
    public struct TooLarge: Error, Sendable {
        /// What is too large.
        public let reason: String

        /// Creates an error.
        public init(reason: String) { self.reason = reason }
    }

    /// The entries, in archive order.
    public var entries: [Entry] = []

    /// Creates an empty archive.
    public init() {}

    /// Appends an entry.
    public mutating func add(_ entry: Entry) { entries.append(entry) }

    /// The archive's bytes.
    public func archive() throws(TooLarge) -> [UInt8] {
        var output: [UInt8] = []
        var directory: [UInt8] = []
        // 1980-01-01 00:00 in MS-DOS form: a fixed time keeps the archive reproducible.
        let time: UInt16 = 0
        let date: UInt16 = (0 << 9) | (1 << 5) | 1
        for entry in entries {
            guard entry.data.count < Int(UInt32.max), output.count < Int(UInt32.max) else {
                throw TooLarge(reason: "\(entry.path) or the archive passes 4 GiB, which needs ZIP64")
            }
            let name = Array(entry.path.utf8)
            let crc = CRC32.checksum(entry.data)
            let size = UInt32(entry.data.count)
            let deflated = Deflate.compress(entry.data)
            let isDeflated = deflated.count < entry.data.count
            let stored = isDeflated ? deflated : entry.data
            let method: UInt16 = isDeflated ? 8 : 0
            let storedSize = UInt32(stored.count)
            let offset = UInt32(output.count)
            // Local file header.
            output.appendLittleEndian(UInt32(0x0403_4b50))
            output.appendLittleEndian(UInt16(20))  // version needed: 2.0
            output.appendLittleEndian(UInt16(0x0800))  // names are UTF-8
            output.appendLittleEndian(method)
            output.appendLittleEndian(time)
            output.appendLittleEndian(date)
            output.appendLittleEndian(crc)
            output.appendLittleEndian(storedSize)
            output.appendLittleEndian(size)
            output.appendLittleEndian(UInt16(name.count))
            output.appendLittleEndian(UInt16(0))
            output += name
            output += stored
            // Its central directory record.
            directory.appendLittleEndian(UInt32(0x0201_4b50))
            directory.appendLittleEndian(UInt16(3 << 8 | 20))  // made by Unix, ZIP 2.0
            directory.appendLittleEndian(UInt16(20))
            directory.appendLittleEndian(UInt16(0x0800))
            directory.appendLittleEndian(method)
            directory.appendLittleEndian(time)
            directory.appendLittleEndian(date)
            directory.appendLittleEndian(crc)
            directory.appendLittleEndian(storedSize)
            directory.appendLittleEndian(size)
            directory.appendLittleEndian(UInt16(name.count))
            directory.appendLittleEndian(UInt16(0))  // extra field
            directory.appendLittleEndian(UInt16(0))  // comment
            directory.appendLittleEndian(UInt16(0))  // disk
            directory.appendLittleEndian(UInt16(0))  // internal attributes
            directory.appendLittleEndian(UInt32(0o100000 | UInt32(entry.mode)) << 16)  // regular file + mode
            directory.appendLittleEndian(offset)
            directory += name
        }
        guard output.count < Int(UInt32.max), entries.count < Int(UInt16.max) else {
            throw TooLarge(reason: "the archive passes 4 GiB or 65,535 entries, which needs ZIP64")
        }
        let directoryOffset = UInt32(output.count)
        output += directory
        // End of central directory.
        output.appendLittleEndian(UInt32(0x0605_4b50))
        output.appendLittleEndian(UInt16(0))
        output.appendLittleEndian(UInt16(0))
        output.appendLittleEndian(UInt16(entries.count))
        output.appendLittleEndian(UInt16(entries.count))
        output.appendLittleEndian(UInt32(directory.count))
        output.appendLittleEndian(directoryOffset)
        output.appendLittleEndian(UInt16(0))
        return output
    }
}

/// CRC-32 (IEEE 802.3, the polynomial ZIP uses).
public enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    /// The checksum of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        table.withUnsafeBufferPointer { table in
            bytes.withUnsafeBufferPointer { bytes in
                for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
            }
        }
        return crc ^ 0xFFFF_FFFF
    }
}

extension [UInt8] {
    fileprivate mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
