import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every difference between the operating systems the server runs on, in one place.
///
/// Only Linux is built and tested here; keeping each macOS branch in this file (rather
/// than `#if` scattered through the code) is what makes the Darwin build reviewable
/// without a Mac.
public enum Platform {
    /// An operating system, named as MCP Bundle manifests name them.
    public enum System: String, Sendable, CaseIterable {
        /// macOS.
        case darwin
        /// Linux.
        case linux
        /// Windows (not built; its config paths are documented).
        case win32
    }

    /// The system this binary was built for.
    public static var current: System {
        #if os(macOS)
        return .darwin
        #elseif os(Windows)
        return .win32
        #else
        return .linux
        #endif
    }

    /// The CPU architecture, as `uname -m` names it.
    public static var architecture: String {
        #if arch(arm64)
        return "arm64"
        #elseif arch(x86_64)
        return "x86_64"
        #else
        return "unknown"
        #endif
    }

    /// Hands memory the process freed back to the system.
    ///
    /// glibc keeps freed heap pages mapped; after a burst (a backlog for a client that
    /// stopped reading) the server would otherwise stay at its peak size for good.
    /// `malloc_trim(0)` returns them. Darwin's allocator returns memory on its own.
    public static func returnFreedMemory() {
        #if canImport(Glibc)
        // Not in the Glibc module map: looked up once in the C library.
        if let trim = mallocTrim { _ = trim(0) }
        #endif
    }

    #if canImport(Glibc)
    private typealias MallocTrim = @convention(c) (Int) -> Int32
    private static let mallocTrim: MallocTrim? = dlsym(nil, "malloc_trim").map {
        unsafeBitCast($0, to: MallocTrim.self)
    }
    #endif

    /// The path an open descriptor refers to now (after any rename or swap), or `nil`:
    /// Linux reads `/proc/self/fd/N`, macOS asks `fcntl(F_GETPATH)`.
    public static func path(of descriptor: Int32) -> String? {
        #if canImport(Darwin)
        var buffer = [CChar](repeating: 0, count: Int(MAXPATHLEN))
        guard fcntl(descriptor, F_GETPATH, &buffer) == 0 else { return nil }
        return String(cString: buffer)
        #else
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/fd/\(descriptor)", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        #endif
    }

    /// The variable that overrides where the server keeps state between runs.
    public static let stateDirectoryVariable = "SOCIAL_DATA_MCP_STATE_DIR"

    /// Where the server keeps state that outlives a process (spend across runs).
    ///
    /// `SOCIAL_DATA_MCP_STATE_DIR` when set; otherwise the OS's per-user state folder:
    /// `$XDG_STATE_HOME/social-data-mcp` or `~/.local/state/social-data-mcp` on Linux,
    /// `~/Library/Application Support/social-data-mcp` on macOS.
    public static func defaultStateDirectory(environment: Environment) -> String {
        if let directory = environment[stateDirectoryVariable] { return directory }
        let home = homeDirectory(environment)
        switch current {
        case .darwin:
            return home + "/Library/Application Support/" + ServerIdentity.name
        case .linux, .win32:
            let base = environment["XDG_STATE_HOME"] ?? home + "/.local/state"
            return base + "/" + ServerIdentity.name
        }
    }

    /// The user's home folder: `HOME`, or the account's when `HOME` is unset.
    public static func homeDirectory(_ environment: Environment) -> String {
        environment["HOME"] ?? NSHomeDirectory()
    }

    /// The folder desktop applications keep their per-user settings in, under `home`:
    /// `~/Library/Application Support` on macOS, `~/.config` on Linux (where Claude
    /// Desktop and VS Code put theirs), `%APPDATA%` on Windows.
    public static func applicationSettingsDirectory(home: String) -> String {
        switch current {
        case .darwin: return home + "/Library/Application Support"
        case .linux: return home + "/.config"
        case .win32: return home + "/AppData/Roaming"
        }
    }

    /// The absolute path of the running binary, symlinks resolved.
    ///
    /// Read from the kernel (`/proc/self/exe` on Linux, `_NSGetExecutablePath` on macOS),
    /// never from `argv[0]`, which is only a name when the binary was found through `PATH`.
    public static var executablePath: String {
        let raw: String?
        #if canImport(Darwin)
        var size: UInt32 = 0
        _ = _NSGetExecutablePath(nil, &size)
        var buffer = [CChar](repeating: 0, count: Int(size) + 1)
        if _NSGetExecutablePath(&buffer, &size) == 0 {
            raw = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        } else {
            raw = Bundle.main.executablePath
        }
        #else
        raw =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? Bundle.main.executablePath
        #endif
        guard let raw else { return Bundle.main.bundlePath + "/" + ServerIdentity.name }
        return resolvingSymlinks(raw)
    }

    /// `path` with every symlink resolved (`realpath`), or unchanged when it cannot be.
    package static func resolvingSymlinks(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
