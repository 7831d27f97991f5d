import Catalog
import Providers
import Spend
import ToolCall
import Upstream
import Wire

/// The agent skill (agentskills.io): `SKILL.md` and Codex's `agents/openai.yaml`,
/// written from the table so they list exactly the tools and prices the server has.
public enum SkillDocument {
    /// The skill's name: lowercase letters, digits and single hyphens, at most 64, and the
    /// name of the folder it is installed in.
    public static let name = "social-data-mcp"
    /// What the skill does and when to use it, with the words users type (in Chinese too),
    /// at most `descriptionLimit` characters and free of angle brackets; the longer
    /// guidance is `whenToUse`, in the body.
    public static let description =
        "Social-media data through the social-data MCP server. Use when the user asks for Xiaohongshu 小红书, "
        + "Douyin 抖音, 视频号, 快手 or TikTok creators (博主, 达人, KOL) and their notes, or a 品牌 brand in AI answers."
    /// Claude.ai's skill upload rejects a longer description (the Agent Skills rule is 1,024).
    public static let descriptionLimit = 200
    /// When to use the skill, in full: the first section of the body.
    public static let whenToUse =
        "Fetch paid social-media and marketing data through the social-data MCP server: Xiaohongshu (小红书), "
        + "Douyin (抖音), Kuaishou (快手), WeChat Channels (视频号), TikTok, YouTube and Instagram creators and their "
        + "notes or videos; a Douyin creator account's diagnosis and works analytics; a brand's (品牌) visibility in AI "
        + "answers from DeepSeek, Doubao, Kimi and others; data-marketplace datasets; and cover images. Use when the "
        + "user asks to find, compare or vet creators, influencers, KOLs, 博主 or 达人; search notes or videos by "
        + "keyword; diagnose their Douyin account; track how their brand shows up in AI answers; or asks what these "
        + "calls cost."
    /// Which environment the skill needs, at most 500 characters.
    public static let compatibility =
        "Needs the social-data-mcp MCP server registered in the agent (social-data-mcp install CLIENT) and the "
        + "providers' API keys in its env."

    /// The whole `SKILL.md`.
    public static func markdown(
        toolsets: [Toolset] = ToolServices.toolsets,
        prompts: [PromptDefinition] = PromptTable.prompts
    ) -> String {
        var lines = [
            "---",
            "name: \(name)",
            // Quoted as JSON strings, which YAML reads as double-quoted scalars: a `: ` in
            // the text can then never end the value early.
            "description: \(JSONValue.string(description).jsonText)",
            "license: MIT",
            "compatibility: \(JSONValue.string(compatibility).jsonText)",
            "metadata:",
            "  version: \"\(ServerIdentity.version)\"",
            "  generated-by: \"social-data-mcp skill\"",
            "---",
            "",
            "# Social data through social-data-mcp",
            "",
            "## When to use",
            "",
            whenToUse,
            "",
            "The `social-data` MCP server (tools prefixed `mcp__social-data__` in Claude Code) fetches paid data from five "
                + "providers. Every call spends the user's money, so plan calls, ask for small pages first, and read the cost "
                + "line every result ends its summary with.",
            "",
            "## Money rules",
            "",
            "- Each tool below ends with its price; each provider's section says how it bills.",
            "- Paid tools take `dry_run: true`: the worst-case price for those arguments, nothing sent, nothing spent.",
            "- Any paid call whose worst case is above \(Configuration.defaultConfirmAbove.formatted) "
                + "(`\(Configuration.confirmAboveKey.variable)`; `none` turns it off; CreatiVault credits: "
                + "`\(Configuration.confirmAboveCreditsKey.variable)`) asks first. The worst case is the quote, or for "
                + "a price the provider reports afterwards what the ledger reserves: the largest charge recorded for the "
                + "tool, its documented charge, or everything left under the limits; the question states which. Then "
                + "the user approves it in the client, or the result is an error with the quote and a `confirm_token`. Show the "
                + "user the price; if they agree, call again with the same arguments plus `confirm_token` (good once, 10 minutes). "
                + "Declined or unanswered, nothing is sent or spent.",
            "- Every result states its cost and the session's running total in the text and in `structuredContent.billing`; "
                + "`social_data_usage` shows spend, calls, items and cache hits by provider and tool.",
            "- If the user set a spend ceiling (`SOCIAL_DATA_MCP_MAX_SPEND_CNY`), a call whose worst case would pass it is "
                + "refused before anything is sent; the refusal says what was spent, what the call would cost and how to raise it.",
            "- Identical reads within the cache TTL (default 300 s, GEO 3600 s) are answered from cache for free. Reads take "
                + "`max_age` in seconds; pass `max_age: 0` only when fresh data matters.",
            "- Argument errors cost nothing: read the message, fix the argument, retry.",
            "",
            "## Which tool",
            "",
        ]
        lines += whichTool(toolsets)
        lines += promptSection(prompts)
        lines += guidance
        return lines.joined(separator: "\n") + "\n"
    }

    /// Each provider's tools with their prices, then the server's own.
    private static func whichTool(_ toolsets: [Toolset]) -> [String] {
        var lines: [String] = []
        for toolset in toolsets where toolset.id != ServerToolset.id {
            lines.append("### \(toolset.name) (`\(toolset.id)_*`)")
            lines.append("")
            lines.append(capitalizedFirst(toolset.summary))
            let billing = Instructions.billingNotes(toolset.tools)
            if !billing.isEmpty {
                lines.append("")
                lines.append("Billing: " + billing.joined(separator: "; ") + ".")
            }
            lines.append("")
            // The whole description: a first-sentence cut would stop at the "." of "e.g.".
            for tool in toolset.tools {
                lines.append("- `\(tool.name)`: \(tool.description)")
            }
            lines.append("")
        }
        lines += ["### Spend (`social_data_usage`)", ""]
        for toolset in toolsets where toolset.id == ServerToolset.id {
            for tool in toolset.tools { lines.append("- `\(tool.name)`: \(tool.description)") }
        }
        return lines
    }

    /// The MCP prompts, for clients that list them and agents that follow the same steps.
    private static func promptSection(_ prompts: [PromptDefinition]) -> [String] {
        var lines = [
            "",
            "## Prompts",
            "",
            "The server offers these as MCP prompts (a client's prompt or slash-command menu); the same steps work when "
                + "the user asks in their own words.",
            "",
        ]
        for prompt in prompts {
            let arguments = prompt.arguments.map { "`\($0.name)`\($0.isRequired ? " (required)" : "")" }
            let tools = prompt.tools.map { "`\($0)`" }.joined(separator: prompt.needs == .all ? ", " : " or ")
            lines.append(
                "- `\(prompt.name)` (\(prompt.title)): \(prompt.description) Arguments: "
                    + "\(arguments.joined(separator: ", ")). Calls: \(tools)."
            )
        }
        return lines
    }

    /// Worked examples, errors and the settings: the same for every configuration.
    private static var guidance: [String] {
        var lines = [
            "",
            "## Worked examples",
            "",
            "**Find Xiaohongshu beauty creators with 10k+ followers, then read their notes.**",
            "1. `datanexus_list_authors` with `{\"platform\": \"xiaohongshu\", \"keyword\": \"美妆\", \"page_size\": 20}` "
                + "(worst case ¥1.60; try `dry_run: true` first if the budget is tight).",
            "2. Keep the authors whose follower count is at least 10,000.",
            "3. For the two or three best, `datanexus_list_works` with `{\"platform\": \"xiaohongshu\", \"author_id\": ID, \"page_size\": 10}`.",
            "4. Report what was found and what it cost (the last result's session total).",
            "",
            "**Diagnose the user's Douyin account.**",
            "1. `tikomni_douyin_author_diagnosis` with no arguments when `TIKOMNI_DOUYIN_COOKIE` is set; otherwise ask the "
                + "user for their creator-platform cookie and pass it as `cookie`. Never repeat the cookie back.",
            "2. The result lists each of the five dimensions with AuthorRank and SimilarRank as percentages and flags "
                + "the ones below 50% on both: lead with those.",
            "3. For a weak completion rate, `tikomni_douyin_item_list` sorted with `order_by: 17` shows the best-retaining works to learn from.",
            "",
            "**How did our brand trend in DeepSeek answers this month?**",
            "1. `geo_list_brands` to find the brand id.",
            "2. `geo_brand_trend` with `{\"brand_id\": ID, \"days\": 30, \"platform\": [\"deepseek\"]}`.",
            "3. Quote the per-engine summary line: first → last mention rate and rank score, the change, min and max.",
            "",
            "**Draw a cover image.** `datanexus_generate_image` with `{\"prompt\": \"…\", \"size\": \"1024x1536\"}` (¥0.50); "
                + "`response_format: b64_json` returns the image itself.",
            "",
            "## Errors",
            "",
            "An `isError` result says what happened and what to do: a missing key names its environment variable (the user "
                + "must add it to the server's env and restart the client); insufficient balance means topping up with that "
                + "provider; rate limits were already retried. Do not loop on a failing paid call.",
            "",
            "## Environment",
            "",
            "Set in the `env` of the server's entry in the MCP client config (or with `social-data-mcp install CLIENT --env NAME=VALUE`):",
            "",
        ]
        for key in ToolServices.settings {
            lines.append("- `\(key.variable)`: \(key.meaning)")
        }
        return lines
    }

    /// Codex's `agents/openai.yaml`: how the skill appears, and the MCP server it needs.
    public static var openAIYAML: String {
        [
            "interface:",
            "  display_name: \"Social Data\"",
            "  short_description: \"Xiaohongshu, Douyin, TikTok and brand-in-AI data\"",
            "  default_prompt: \"Use $\(name) to find creators, diagnose a Douyin account or read a brand's trend.\"",
            "dependencies:",
            "  tools:",
            "    - type: \"mcp\"",
            "      value: \"\(ServerIdentity.registrationName)\"",
            "      description: \"The social-data-mcp stdio server (register it with: social-data-mcp install codex)\"",
        ].joined(separator: "\n") + "\n"
    }

    private static func capitalizedFirst(_ text: String) -> String {
        text.prefix(1).uppercased() + text.dropFirst()
    }
}
