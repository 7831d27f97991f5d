import Foundation
import MCPBundle
import Wire

/// `social-data-mcp registry-entry --mcpb FILE ... --base-url URL [--repository OWNER/NAME]
/// [--output FILE]`: the official MCP Registry's `server.json`, one `mcpb` package per
/// bundle given, each with the SHA-256 of that file.
enum RegistryEntryCommand {
    /// The options `registry-entry` takes.
    static let options: [CommandOption] = [
        .value("--mcpb", "FILE", repeats: true, "a release's .mcpb (repeat for each platform)"),
        .value("--base-url", "URL", "where the release's files are downloaded from (URL/FILE-NAME)"),
        .value("--repository", "OWNER/NAME", "the GitHub repository (default: from a github.com --base-url)"),
        .value("--output", "FILE", "where to write server.json (default: stdout)"),
    ]

    static func run(_ invocation: Invocation) throws -> Int32 {
        let bundles = invocation.values("--mcpb")
        guard !bundles.isEmpty else { throw CommandError("name at least one .mcpb with --mcpb FILE") }
        guard let base = invocation.option("--base-url"), base.hasPrefix("https://") else {
            throw CommandError("--base-url must be the HTTPS address the release's files are downloaded from")
        }
        let trimmedBase = base.hasSuffix("/") ? String(base.dropLast()) : base
        let repository: RegistryEntry.Repository
        if let slug = invocation.option("--repository") {
            guard let named = RegistryEntry.Repository(slug) else {
                throw CommandError("--repository must be OWNER/NAME, not '\(slug)'")
            }
            repository = named
        } else if let derived = RegistryEntry.Repository(releaseURL: trimmedBase + "/x") {
            repository = derived
        } else {
            throw CommandError("give --repository OWNER/NAME (it cannot be read from --base-url \(base))")
        }
        var packages: [RegistryEntry.Package] = []
        for path in bundles {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CommandError("cannot read \(path)")
            }
            let name = URL(fileURLWithPath: path).lastPathComponent
            packages.append(.init(url: trimmedBase + "/" + name, sha256: SHA256.hex(of: data)))
        }
        let text = RegistryEntry.entry(repository: repository, packages: packages).prettyJSONText
        guard let output = invocation.option("--output") else {
            CLI.writeOut(text)
            return 0
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw CommandError("could not write \(output): \(CommandError.sentence(for: error))")
        }
        return 0
    }
}
