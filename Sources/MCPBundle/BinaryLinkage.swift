/// Which shared libraries a binary asks the dynamic loader for, read from its own bytes.
///
/// `bundle` packages the running binary for machines that have no Swift toolchain. A
/// binary linked against the toolchain's `libswiftCore.so` or `libFoundation.so` starts
/// on the machine that built it and fails everywhere else ("libswiftCore.so: cannot open
/// shared object file"), so the bundle command reads the ELF dynamic section's
/// `DT_NEEDED` entries first. Read here, in Swift, because the binary must answer this
/// about itself on a user's machine, where `readelf` may not exist.
///
/// Mach-O binaries are accepted as they are: on macOS the Swift runtime and Foundation
/// are part of the operating system, so nothing from a toolchain is needed.
public struct BinaryLinkage: Sendable, Equatable {
    /// The kind of executable the bytes hold.
    public enum Format: String, Sendable, Equatable {
        /// Linux and the other ELF systems.
        case elf
        /// macOS (thin or universal).
        case machO
        /// Anything else (a script, a truncated file).
        case unknown
    }

    /// Why an ELF file's dynamic section could not be read.
    public struct Unreadable: Error, Sendable, Equatable {
        /// What was wrong, for the user.
        public let reason: String
    }

    /// What the bytes are.
    public let format: Format
    /// The `DT_NEEDED` names in the order the loader reads them; empty for a static
    /// binary and for formats other than ELF.
    public let neededLibraries: [String]

    /// The libraries that only a Swift toolchain installs, which a user's machine lacks.
    public var toolchainLibraries: [String] { neededLibraries.filter(Self.isToolchainLibrary) }

    /// Whether the binary runs on a machine without a Swift toolchain.
    public var isSelfContained: Bool { toolchainLibraries.isEmpty }

    /// Reads `bytes`, an executable's contents.
    ///
    /// Throws only for an ELF file whose headers point outside the file or disagree with
    /// each other; any other file is ``Format/unknown`` or ``Format/machO`` with no needs.
    public init(binary bytes: [UInt8]) throws(Unreadable) {
        if bytes.count >= 4, bytes[0] == 0x7F, bytes[1] == 0x45, bytes[2] == 0x4C, bytes[3] == 0x46 {
            format = .elf
            neededLibraries = try ELFReader(bytes).neededLibraries()
        } else if bytes.count >= 4, Self.machOMagics.contains(Array(bytes[0..<4])) {
            format = .machO
            neededLibraries = []
        } else {
            format = .unknown
            neededLibraries = []
        }
    }

    /// The first four bytes of a Mach-O file: 32- and 64-bit, either byte order, and the
    /// universal ("fat") header.
    static let machOMagics: Set<[UInt8]> = [
        [0xFE, 0xED, 0xFA, 0xCE], [0xCE, 0xFA, 0xED, 0xFE], [0xFE, 0xED, 0xFA, 0xCF], [0xCF, 0xFA, 0xED, 0xFE],
        [0xCA, 0xFE, 0xBA, 0xBE], [0xBE, 0xBA, 0xFE, 0xCA],
    ]

    /// Whether `name` is one of the shared libraries a Swift toolchain ships for Linux.
    ///
    /// That is the Swift runtime and its overlays (`libswiftCore.so`, `libswift_Concurrency.so`,
    /// `libswiftGlibc.so` …), Foundation (`libFoundation.so`, `libFoundationEssentials.so`,
    /// `lib_FoundationICU.so` …), Dispatch, the blocks runtime and the test libraries.
    /// System libraries (`libc.so.6`, `libcurl.so.4`, `libstdc++.so.6`) are not.
    public static func isToolchainLibrary(_ name: String) -> Bool {
        let prefixes = ["libswift", "libFoundation", "lib_Foundation", "lib_Testing", "libXCTest", "libTesting"]
        let exact: Set<String> = ["libdispatch.so", "libBlocksRuntime.so"]
        return exact.contains(name) || prefixes.contains { name.hasPrefix($0) }
    }
}
