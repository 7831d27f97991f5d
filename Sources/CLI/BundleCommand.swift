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
        .value("--output", "FILE", "where to write it (default: \(defaultName) in the current folder)")
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
        let bytes = try BundleArchive.archive(binary: Array(binary))
        let output = invocation.option("--output") ?? defaultName
        let url = URL(
            fileURLWithPath: output,
            relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        )
        do {
            try Data(bytes).write(to: url, options: .atomic)
        } catch {
            throw CommandError("could not write \(url.path): \(error.localizedDescription)")
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
}
