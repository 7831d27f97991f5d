import Foundation
import MCPBundle
import Providers
import ToolCall
import Wire

/// `social-data-mcp bundle [--output FILE]`: an MCP Bundle of this very binary for Claude
/// Desktop's one-click install.
enum BundleCommand {
    /// The options `bundle` takes.
    static let options: [CommandOption] = [
        .value("--output", "FILE", "where to write it (default: \(defaultName) in the current folder)"),
        .flag("--force", "bundle even a binary that needs the Swift toolchain's shared libraries"),
    ]

    /// `social-data-mcp-0.1.0-linux-x86_64.mcpb`.
    static var defaultName: String {
        "\(ServerIdentity.name)-\(ServerIdentity.version)-\(Platform.current.rawValue)-\(Platform.architecture).mcpb"
    }

    static func run(_ invocation: Invocation) throws -> Int32 {
        let binaryPath = Platform.executablePath
        guard let binary = FileManager.default.contents(atPath: binaryPath) else {
            throw CommandError("cannot read this binary at \(binaryPath)")
        }
        try checkLinkage(of: Array(binary), at: binaryPath, force: invocation.flag("--force"))
        let bytes = try BundleArchive.archive(binary: Array(binary))
        let output = invocation.option("--output") ?? defaultName
        let url = URL(
            fileURLWithPath: output,
            relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        )
        do {
            try Data(bytes).write(to: url, options: .atomic)
        } catch {
            throw CommandError("could not write \(url.path): \(CommandError.sentence(for: error))")
        }
        let sensitive = BundleManifest.settings.filter(\.isSensitive).count
        CLI.writeOut(
            """
            Wrote \(url.standardizedFileURL.path) (\(String(format: "%.1f", Double(bytes.count) / 1_048_576)) MiB, \(Platform.current.rawValue) \(Platform.architecture), \
            \(ToolServices.entries.count) tools, \(BundleManifest.settings.count) settings of which \(sensitive) go to the keychain).
            Install it: double-click it, or drag it into Claude Desktop's Settings → Extensions.

            """
        )
        return 0
    }

    /// Refuses a binary that needs the toolchain's shared libraries.
    ///
    /// A debug build, or `swift build -c release` without `--static-swift-stdlib`, needs
    /// `libswiftCore.so` and Foundation's libraries: its bundle installs without complaint
    /// and then fails to start on every machine without Swift. With `--force` it goes
    /// ahead, after a warning nobody can miss.
    static func checkLinkage(of binary: [UInt8], at path: String, force: Bool) throws(CommandError) {
        let linkage: BinaryLinkage
        do {
            linkage = try BinaryLinkage(binary: binary)
        } catch {
            guard force else {
                throw CommandError(
                    "cannot tell which shared libraries \(path) needs (\(error.reason)); pass --force to bundle it anyway"
                )
            }
            FileHandle.standardError.write(
                Data("WARNING: bundling \(path) without knowing its shared libraries (\(error.reason)).\n".utf8)
            )
            return
        }
        guard !linkage.isSelfContained else { return }
        let libraries = linkage.toolchainLibraries.joined(separator: ", ")
        guard force else {
            throw CommandError(
                """
                refusing to bundle \(path): it needs the Swift toolchain's shared libraries (\(libraries)), \
                so the bundle would fail to start on any machine without Swift \
                ("libswiftCore.so: cannot open shared object file"). Bundle the shipped binary instead: \
                scripts/build (the Swift runtime linked in statically), then .build/release/\(ServerIdentity.name) bundle. \
                --force bundles this one anyway.
                """
            )
        }
        FileHandle.standardError.write(
            Data(
                """
                WARNING: --force: \(path) needs the Swift toolchain's shared libraries (\(libraries)). \
                This bundle starts only where those libraries are installed; do not publish it.

                """.utf8
            )
        )
    }
}
