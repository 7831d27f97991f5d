import Catalog
import Foundation
import Providers
import Spend
import ToolCall
import Wire

/// The `manifest.json` of the MCP Bundle (`.mcpb`) Claude Desktop installs with one click.
///
/// Everything in it comes from the tables: the tools from ``ToolTable``, the settings
/// from each provider's config keys and the server's spend limits, so adding a tool or
/// a key changes the bundle with no edit here.
public enum BundleManifest {
    /// What the server is, in one sentence, for the bundle's listing.
    public static let description =
        "Paid social-media and marketing data (Xiaohongshu, Douyin, TikTok, YouTube, Instagram, AI-search brand visibility) with spend limits and a cost on every result."

    /// Where the binary sits inside the bundle.
    public static let entryPoint = "server/" + ServerIdentity.name

    /// Spend limits the bundle lets the user set: this process's ceiling and the daily and
    /// monthly limits of every process (left empty, the daily one is the ¥50 default), and
    /// the worst case above which a call asks first (left empty, ¥5).
    public static let spendLimitVariables = [
        Configuration.maxSpendKey, Configuration.dailyLimitKey, Configuration.monthlyLimitKey,
        Configuration.confirmAboveKey,
    ].map(\.variable)

    /// One user setting: the server's variable and how Claude Desktop asks for it.
    public struct Setting: Sendable {
        /// The environment variable the server reads.
        public let variable: String
        /// What it is, for the settings form.
        public let meaning: String
        /// Whether Claude Desktop masks it and keeps it in the OS keychain.
        public let isSensitive: Bool

        /// The `user_config` key: the variable in lower case.
        public var key: String { variable.lowercased() }
    }

    /// The settings a bundle user fills in: every provider key, header value (the
    /// CreatiVault identity, the GEO workspace), secret extra (the Douyin cookie), base
    /// URL without a public default (CreatiVault's), then the spend limits.
    public static var settings: [Setting] {
        var settings: [Setting] = []
        for provider in ToolTable.providers {
            let headers = Set(provider.environmentHeaders.map(\.variable))
            let requiredBase = provider.baseURL.flatMap { $0.defaultURL == nil ? $0.variable : nil }
            for key in provider.configKeys
            where key.isSecret || headers.contains(key.variable) || key.variable == requiredBase {
                settings.append(Setting(variable: key.variable, meaning: key.meaning, isSensitive: key.isSecret))
            }
        }
        let meanings = Dictionary(
            Configuration.serverKeys.map { ($0.variable, $0.meaning) },
            uniquingKeysWith: { first, _ in first }
        )
        for variable in spendLimitVariables {
            settings.append(Setting(variable: variable, meaning: meanings[variable] ?? variable, isSensitive: false))
        }
        return settings
    }

    /// The MCP prompts the bundle declares.
    ///
    /// From the prompt table, as the tools come from the tool table. A manifest prompt is
    /// a fixed text with `${arguments.NAME}` placeholders, so free-text arguments become
    /// placeholders and numbers and choices keep their defaults; the server's own
    /// `prompts/get` still takes them all.
    static func manifestPrompts() -> [JSONValue] {
        let everyTool = Set(ToolServices.entries.map(\.tool.name))
        let context = PromptDefinition.Context(
            now: Date(),
            exposedTools: everyTool,
            table: ToolServices.entries.map(\.tool)
        )
        return PromptTable.prompts.compactMap { prompt in
            let placeholders = prompt.arguments.filter {
                if case .text = $0.kind { return true }
                return false
            }.map(\.name)
            let values = Dictionary(uniqueKeysWithValues: placeholders.map { ($0, "${arguments.\($0)}") })
            guard let text = try? prompt.text(for: values, context: context) else { return nil }
            return [
                "name": .string(prompt.name), "description": .string(prompt.description),
                "arguments": .array(placeholders.map { .string($0) }), "text": .string(text),
            ]
        }
    }

    /// The manifest for a bundle that runs on `platform`.
    public static func manifest(platform: Platform.System = Platform.current) -> JSONValue {
        var userConfig: [String: JSONValue] = [:]
        var environment: [String: JSONValue] = [:]
        for setting in settings {
            userConfig[setting.key] = [
                "type": "string",
                "title": .string(setting.variable),
                "description": .string(setting.meaning),
                "required": false,
                "sensitive": .bool(setting.isSensitive),
                // An empty default: an unset setting reaches the server as "", which it reads as unset.
                "default": "",
            ]
            environment[setting.variable] = .string("${user_config.\(setting.key)}")
        }
        let tools: [JSONValue] = ToolServices.entries.map {
            ["name": .string($0.tool.name), "description": .string($0.tool.description)]
        }
        return [
            "manifest_version": "0.3",
            "name": .string(ServerIdentity.name),
            "display_name": .string(ServerIdentity.title),
            "version": .string(ServerIdentity.version),
            "description": .string(description),
            "author": ["name": "social-data-mcp contributors"],
            "license": "MIT",
            "keywords": ["social media", "xiaohongshu", "douyin", "tiktok", "marketing", "geo"],
            "server": [
                "type": "binary",
                "entry_point": .string(entryPoint),
                "mcp_config": [
                    "command": .string("${__dirname}/" + entryPoint),
                    "args": [],
                    "env": .object(environment),
                ],
            ],
            "tools": .array(tools),
            "prompts": .array(manifestPrompts()),
            "compatibility": ["platforms": [.string(platform.rawValue)]],
            "user_config": .object(userConfig),
        ]
    }
}
