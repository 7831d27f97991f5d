extension BinaryLinkage {
    /// Reads the dynamic section of an ELF file the way the loader does: program headers,
    /// `PT_DYNAMIC`, then `DT_STRTAB` mapped back to a file offset through the `PT_LOAD`
    /// segments (so it works on a binary whose section headers were stripped too).
    struct ELFReader {
        let bytes: [UInt8]
        let is64: Bool
        let isLittleEndian: Bool

        init(_ bytes: [UInt8]) throws(BinaryLinkage.Unreadable) {
            guard bytes.count >= 52 else { throw .init(reason: "the ELF header is truncated") }
            self.bytes = bytes
            switch bytes[4] {
            case 1: is64 = false
            case 2: is64 = true
            default: throw .init(reason: "unknown ELF class \(bytes[4])")
            }
            switch bytes[5] {
            case 1: isLittleEndian = true
            case 2: isLittleEndian = false
            default: throw .init(reason: "unknown ELF byte order \(bytes[5])")
            }
            if is64, bytes.count < 64 { throw .init(reason: "the ELF header is truncated") }
        }

        /// An unsigned integer of `size` bytes at `offset`, or `nil` past the end.
        func integer(at offset: UInt64, size: Int) -> UInt64? {
            guard offset <= UInt64(bytes.count), UInt64(bytes.count) - offset >= UInt64(size) else { return nil }
            let start = Int(offset)
            var value: UInt64 = 0
            for index in 0..<size {
                let byte = UInt64(bytes[start + (isLittleEndian ? size - 1 - index : index)])
                value = value << 8 | byte
            }
            return value
        }

        /// A word: 8 bytes in ELF64, 4 in ELF32.
        func word(at offset: UInt64) throws(BinaryLinkage.Unreadable) -> UInt64 {
            guard let value = integer(at: offset, size: is64 ? 8 : 4) else {
                throw .init(reason: "a header points past the end of the file")
            }
            return value
        }

        func half(at offset: UInt64) throws(BinaryLinkage.Unreadable) -> UInt64 {
            guard let value = integer(at: offset, size: 2) else {
                throw .init(reason: "a header points past the end of the file")
            }
            return value
        }

        func uint32(at offset: UInt64) throws(BinaryLinkage.Unreadable) -> UInt64 {
            guard let value = integer(at: offset, size: 4) else {
                throw .init(reason: "a header points past the end of the file")
            }
            return value
        }

        /// One program header's type, file offset, virtual address and file size.
        struct Segment {
            let type: UInt64
            let offset: UInt64
            let address: UInt64
            let fileSize: UInt64
        }

        func segments() throws(BinaryLinkage.Unreadable) -> [Segment] {
            let tableOffset = try word(at: is64 ? 32 : 28)
            let entrySize = try half(at: is64 ? 54 : 42)
            let count = try half(at: is64 ? 56 : 44)
            guard count == 0 || entrySize >= (is64 ? 56 : 32) else {
                throw .init(reason: "program header entries of \(entrySize) bytes are too small")
            }
            var segments: [Segment] = []
            for index in 0..<count {
                let (product, overflow) = index.multipliedReportingOverflow(by: entrySize)
                let (base, overflowAgain) = tableOffset.addingReportingOverflow(product)
                guard !overflow, !overflowAgain else { throw .init(reason: "the program header table is out of range") }
                let type = try uint32(at: base)
                if is64 {
                    segments.append(
                        Segment(
                            type: type,
                            offset: try word(at: base + 8),
                            address: try word(at: base + 16),
                            fileSize: try word(at: base + 32)
                        )
                    )
                } else {
                    segments.append(
                        Segment(
                            type: type,
                            offset: try word(at: base + 4),
                            address: try word(at: base + 8),
                            fileSize: try word(at: base + 16)
                        )
                    )
                }
            }
            return segments
        }

        /// The file offset of virtual address `address`, from the loadable segment holding it.
        func fileOffset(of address: UInt64, in segments: [Segment]) -> UInt64? {
            for segment in segments where segment.type == 1 {
                guard address >= segment.address else { continue }
                let delta = address - segment.address
                if delta < segment.fileSize { return segment.offset + delta }
            }
            return nil
        }

        /// The NUL-terminated string at `offset`, which must end inside the string table.
        func string(at offset: UInt64, limit: UInt64) throws(BinaryLinkage.Unreadable) -> String {
            guard offset < limit, limit <= UInt64(bytes.count) else {
                throw .init(reason: "a library name lies outside the string table")
            }
            guard let end = bytes[Int(offset)..<Int(limit)].firstIndex(of: 0) else {
                throw .init(reason: "a library name is not terminated")
            }
            return String(decoding: bytes[Int(offset)..<end], as: UTF8.self)
        }

        func neededLibraries() throws(BinaryLinkage.Unreadable) -> [String] {
            let segments = try segments()
            // No PT_DYNAMIC: a fully static executable, which needs nothing.
            guard let dynamic = segments.first(where: { $0.type == 2 }) else { return [] }
            let entrySize: UInt64 = is64 ? 16 : 8
            let (end, overflow) = dynamic.offset.addingReportingOverflow(dynamic.fileSize)
            guard !overflow, end <= UInt64(bytes.count) else {
                throw .init(reason: "the dynamic section lies past the end of the file")
            }
            var needed: [UInt64] = []
            var stringTable: UInt64?
            var stringTableSize: UInt64?
            var entry = dynamic.offset
            while entry + entrySize <= end {
                let tag = try word(at: entry)
                let value = try word(at: entry + entrySize / 2)
                switch tag {
                case 0: entry = end  // DT_NULL ends the table.
                case 1: needed.append(value)  // DT_NEEDED: an offset into DT_STRTAB.
                case 5: stringTable = value  // DT_STRTAB: a virtual address.
                case 10: stringTableSize = value  // DT_STRSZ.
                default: break
                }
                entry += entrySize
            }
            if needed.isEmpty { return [] }
            guard let stringTable, let tableOffset = fileOffset(of: stringTable, in: segments) else {
                throw .init(reason: "the dynamic string table is not in a loaded segment")
            }
            let available = UInt64(bytes.count) - min(tableOffset, UInt64(bytes.count))
            let limit = tableOffset + min(stringTableSize ?? available, available)
            var names: [String] = []
            for offset in needed {
                let (start, overflow) = tableOffset.addingReportingOverflow(offset)
                guard !overflow else { throw .init(reason: "a library name lies outside the string table") }
                names.append(try string(at: start, limit: limit))
            }
            return names
        }
    }
}
