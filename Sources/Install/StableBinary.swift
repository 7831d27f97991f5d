import Foundation
import Wire

/// A per-user place for the binary that outlives the build folder it was built in.
///
/// An entry that runs `.build/release/social-data-mcp` breaks on `rm -rf .build` and
/// changes under the client on the next build; `install` copies the running binary here
/// and points the entry at the copy, and a re-install after a rebuild replaces it.
public enum StableBinary {
    /// `~/.local/bin` on Linux; `~/Library/Application Support/social-data-mcp/bin` on macOS.
    public static func defaultDirectory(home: String) -> String {
        switch Platform.current {
        case .darwin: return home + "/Library/Application Support/" + ServerIdentity.name + "/bin"
        case .linux, .win32: return home + "/.local/bin"
        }
    }

    /// Where the binary goes in `directory`.
    public static func path(in directory: String) -> String { directory + "/" + ServerIdentity.name }

    /// What happened to the copy.
    public enum Outcome: Sendable, Equatable {
        /// The running binary is the copy already.
        case runningFromIt
        /// The copy had the same bytes.
        case unchanged
        /// The copy was written (new, or replaced after a rebuild).
        case copied
    }

    /// Copies `source` to `directory` atomically (0755) unless the copy is already the same
    /// file or has the same bytes.
    public static func place(_ source: String, in directory: String) throws(AtomicFile.Failure) -> Outcome {
        let target = path(in: directory)
        if Platform.resolvingSymlinks(target) == Platform.resolvingSymlinks(source) { return .runningFromIt }
        if FileManager.default.contentsEqual(atPath: source, andPath: target), AtomicFile.mode(of: target) == 0o755 {
            return .unchanged
        }
        try AtomicFile.copy(source, to: target, mode: 0o755)
        return .copied
    }
}
