import Export
import Providers
import ToolCall
import Wire

/// The files of an MCP Bundle: the server binary, `manifest.json`, a README and the license.
public enum BundleArchive {
    /// The archive's bytes for a bundle holding `binary`, for `platform`.
    public static func archive(
        binary: [UInt8],
        platform: Platform.System = Platform.current
    ) throws(ZipWriter.TooLarge)
        -> [UInt8]
    {
        var zip = ZipWriter()
        zip.add(
            .init(path: "manifest.json", data: Array(BundleManifest.manifest(platform: platform).prettyJSONText.utf8))
        )
        zip.add(.init(path: BundleManifest.entryPoint, data: binary, mode: 0o755))
        zip.add(.init(path: "README.md", data: Array(readme.utf8)))
        zip.add(.init(path: "LICENSE", data: Array(license.utf8)))
        return try zip.archive()
    }

    /// The bundle's README: what it is, the settings Claude Desktop asks for, the tools.
    public static var readme: String {
        var lines = [
            "# \(ServerIdentity.title) \(ServerIdentity.version)",
            "",
            "An MCP server giving Claude paid social-media and marketing data. Every result states its cost;",
            "spend limits refuse calls that would pass them. Fill in only the keys of the providers you use.",
            "",
            "## Settings",
            "",
            "| setting | what it is | kept in the keychain |",
            "|---|---|---|",
        ]
        for setting in BundleManifest.settings {
            lines.append("| `\(setting.variable)` | \(setting.meaning) | \(setting.isSensitive ? "yes" : "no") |")
        }
        lines += ["", "## Tools", "", ToolExport.text(ToolServices.entries, format: .markdown, strict: false)]
        return lines.joined(separator: "\n")
    }

    /// The license, the same text as the repository's `LICENSE` (a test keeps them equal).
    public static let license = """
        MIT License

        Copyright (c) 2026 social-data-mcp contributors

        Permission is hereby granted, free of charge, to any person obtaining a copy
        of this software and associated documentation files (the "Software"), to deal
        in the Software without restriction, including without limitation the rights
        to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
        copies of the Software, and to permit persons to whom the Software is
        furnished to do so, subject to the following conditions:

        The above copyright notice and this permission notice shall be included in all
        copies or substantial portions of the Software.

        THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
        IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
        FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
        AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
        LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
        OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
        SOFTWARE.

        """
}
