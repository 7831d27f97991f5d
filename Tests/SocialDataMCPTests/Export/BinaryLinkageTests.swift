import Foundation
import MCPBundle
import Testing
import Wire

@Suite("binary linkage: DT_NEEDED read from the ELF dynamic section")
struct BinaryLinkageTests {
    /// A minimal ELF executable.
    ///
    /// One PT_LOAD covering the file, a PT_DYNAMIC, and a string table holding `needed`;
    /// `wide` is ELF64 (else ELF32), `little` the byte order.
    static func elf(needed: [String], wide: Bool = true, little: Bool = true, dynamic: Bool = true) -> [UInt8] {
        let word = wide ? 8 : 4
        let headerSize = wide ? 64 : 52
        let phentsize = wide ? 56 : 32
        let phoff = headerSize
        let segments = dynamic ? 2 : 1
        var strings: [UInt8] = [0]
        var offsets: [Int] = []
        for name in needed {
            offsets.append(strings.count)
            strings += Array(name.utf8) + [0]
        }
        let dynamicOffset = phoff + phentsize * segments
        var entries: [(UInt64, UInt64)] = offsets.map { (1, UInt64($0)) }
        let stringOffset = dynamicOffset + (entries.count + 3) * 2 * word
        let base: UInt64 = 0x40_0000
        entries += [(5, base + UInt64(stringOffset)), (10, UInt64(strings.count)), (0, 0)]
        let total = stringOffset + strings.count
        var bytes = [UInt8](repeating: 0, count: total)
        func put(_ value: UInt64, at offset: Int, size: Int) {
            for index in 0..<size {
                let shift = UInt64(8 * (little ? index : size - 1 - index))
                bytes[offset + index] = UInt8(truncatingIfNeeded: value >> shift)
            }
        }
        bytes[0...3] = [0x7F, 0x45, 0x4C, 0x46]
        bytes[4] = wide ? 2 : 1
        bytes[5] = little ? 1 : 2
        bytes[6] = 1
        put(2, at: 16, size: 2)  // ET_EXEC
        put(UInt64(phoff), at: wide ? 32 : 28, size: word)
        put(UInt64(headerSize), at: wide ? 52 : 40, size: 2)
        put(UInt64(phentsize), at: wide ? 54 : 42, size: 2)
        put(UInt64(segments), at: wide ? 56 : 44, size: 2)
        func segment(_ index: Int, type: UInt64, offset: Int, size: Int) {
            let at = phoff + index * phentsize
            put(type, at: at, size: 4)
            put(UInt64(offset), at: at + (wide ? 8 : 4), size: word)
            put(base + UInt64(offset), at: at + (wide ? 16 : 8), size: word)
            put(UInt64(size), at: at + (wide ? 32 : 16), size: word)
        }
        segment(0, type: 1, offset: 0, size: total)
        if dynamic {
            segment(1, type: 2, offset: dynamicOffset, size: entries.count * 2 * word)
            for (index, entry) in entries.enumerated() {
                put(entry.0, at: dynamicOffset + index * 2 * word, size: word)
                put(entry.1, at: dynamicOffset + index * 2 * word + word, size: word)
            }
        }
        bytes.replaceSubrange(stringOffset..<total, with: strings)
        return bytes
    }

    @Test(arguments: [(true, true), (true, false), (false, true), (false, false)])
    func readsTheNeededLibrariesOfEveryClassAndByteOrder(_ layout: (wide: Bool, little: Bool)) throws {
        let needed = ["libswiftCore.so", "libc.so.6", "libFoundationEssentials.so", "libcurl.so.4", "libdispatch.so"]
        let linkage = try BinaryLinkage(binary: Self.elf(needed: needed, wide: layout.wide, little: layout.little))
        #expect(linkage.format == .elf)
        #expect(linkage.neededLibraries == needed)
        #expect(linkage.toolchainLibraries == ["libswiftCore.so", "libFoundationEssentials.so", "libdispatch.so"])
        #expect(!linkage.isSelfContained)
    }

    @Test func aBinaryThatNeedsOnlySystemLibrariesOrNothingIsSelfContained() throws {
        let system = try BinaryLinkage(binary: Self.elf(needed: ["libcurl.so.4", "libstdc++.so.6", "libm.so.6"]))
        #expect(system.neededLibraries == ["libcurl.so.4", "libstdc++.so.6", "libm.so.6"])
        #expect(system.isSelfContained)
        let fullyStatic = try BinaryLinkage(binary: Self.elf(needed: [], dynamic: false))
        #expect(fullyStatic.neededLibraries.isEmpty)
        #expect(fullyStatic.isSelfContained)
    }

    @Test func machOAndOtherFilesNeedNothingFromAToolchain() throws {
        for magic: [UInt8] in [[0xCF, 0xFA, 0xED, 0xFE], [0xCA, 0xFE, 0xBA, 0xBE]] {
            let linkage = try BinaryLinkage(binary: magic + [UInt8](repeating: 0, count: 60))
            #expect(linkage.format == .machO)
            #expect(linkage.isSelfContained)
        }
        #expect(try BinaryLinkage(binary: Array("#!/bin/sh\necho hi\n".utf8)).format == .unknown)
        #expect(try BinaryLinkage(binary: []).format == .unknown)
    }

    @Test func toolchainLibrariesAreToldFromSystemOnes() {
        for name in [
            "libswiftCore.so", "libswift_Concurrency.so", "libswiftGlibc.so", "libFoundation.so",
            "libFoundationNetworking.so", "lib_FoundationICU.so", "libdispatch.so", "libBlocksRuntime.so",
            "libXCTest.so", "libTesting.so",
        ] {
            #expect(BinaryLinkage.isToolchainLibrary(name), "\(name)")
        }
        for name in ["libc.so.6", "libcurl.so.4", "libstdc++.so.6", "libgcc_s.so.1", "libz.so.1", "libxml2.so.2"] {
            #expect(!BinaryLinkage.isToolchainLibrary(name), "\(name)")
        }
    }

    @Test func everyTruncationAndAnOutOfRangeNameIsAnErrorNotACrash() throws {
        let whole = Self.elf(needed: ["libswiftCore.so", "libc.so.6"])
        var refused = 0
        for length in 4..<whole.count {
            do {
                _ = try BinaryLinkage(binary: Array(whole[0..<length]))
            } catch {
                refused += 1
            }
        }
        // The last name's terminator is the file's last byte, so every shorter file is refused.
        #expect(refused == whole.count - 4)
        // A DT_NEEDED offset past the string table.
        var hostile = whole
        let dynamicOffset = 64 + 2 * 56
        hostile[dynamicOffset + 8] = 0xFF
        hostile[dynamicOffset + 9] = 0xFF
        #expect(throws: BinaryLinkage.Unreadable.self) { try BinaryLinkage(binary: hostile) }
        // A program header table said to lie far past the end of the file.
        var farTable = whole
        for index in 32..<40 { farTable[index] = 0xFF }
        #expect(throws: BinaryLinkage.Unreadable.self) { try BinaryLinkage(binary: farTable) }
    }

    #if os(Linux)
    @Test func theTestBinaryItselfNeedsTheToolchainsRuntime() throws {
        // A debug build links the toolchain's shared Swift runtime: what `bundle` refuses.
        let path = Platform.executablePath
        let bytes = try #require(FileManager.default.contents(atPath: path), "\(path)")
        let linkage = try BinaryLinkage(binary: Array(bytes))
        #expect(linkage.format == .elf)
        #expect(linkage.neededLibraries.contains("libswiftCore.so"), "\(linkage.neededLibraries)")
        #expect(linkage.neededLibraries.contains { $0.hasPrefix("libc.so") })
        #expect(linkage.toolchainLibraries.contains("libswiftCore.so"))
        #expect(!linkage.toolchainLibraries.contains { $0.hasPrefix("libc.so") })
    }
    #endif
}
