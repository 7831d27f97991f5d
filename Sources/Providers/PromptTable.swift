import Catalog
import Wire

/// The prompt table: the workflows users ask for, each a message that tells the model which
/// tools to call, in which order, and what to report.
///
/// Adding a prompt is one row here; `prompts/list`, the README and `SKILL.md` follow.
public enum PromptTable {
    /// Every prompt, in display order.
    public static let prompts: [PromptDefinition] = [
        douyinDiagnosis, brandVisibility, similarCreators, xiaohongshuTopicScan,
    ]

    /// The prompt called `name`.
    public static func prompt(named name: String) -> PromptDefinition? {
        prompts.first { $0.name == name }
    }

    static let douyinDiagnosis = PromptDefinition(
        name: "diagnose_douyin_account",
        title: "Diagnose my Douyin account",
        description: "Diagnose your Douyin (抖音) creator account with TikOmni, then find the recent works worth a "
            + "closer look.",
        arguments: [
            .init(
                "days",
                "Days of works",
                "How many recent days of works to review, 1 to 90 (default 30).",
                .integer(1...90, default: 30)
            ),
            .init("focus", "Focus", "What matters most to you, e.g. 完播率 (completion rate) or new followers."),
        ],
        tools: ["tikomni_douyin_author_diagnosis", "tikomni_douyin_item_list"]
    ) { arguments, context in
        let days = arguments.integer("days", default: 30)
        let end = Int((context.now.timeIntervalSince1970 * 1000).rounded(.down))
        let start = end - days * 86_400_000
        var lines = [
            "Diagnose my Douyin (抖音) creator account, then show me which recent works are worth a closer look.",
            "",
            "1. Call tikomni_douyin_author_diagnosis. Leave out cookie when the server has TIKOMNI_DOUYIN_COOKIE; if the "
                + "result says a cookie is needed, ask me for my creator-platform cookie, pass it as cookie, and never repeat it back.",
            "2. Lead with the dimensions where the account is below 50% against both its own history and similar creators, "
                + "and name the metrics to work on.",
            "3. Call tikomni_douyin_item_list with start_time \(start) and end_time \(end) (the last \(days) days), count 10, "
                + "and the order_by that matches the weakest dimension: 17 completion, 3 views, 5 likes, 25 new followers "
                + "(1 newest when nothing stands out).",
            "4. Pick up to three of those works to learn from, with their metrics, and say why each is worth a look.",
        ]
        if let focus = arguments.text("focus") { lines.append("Pay most attention to: \(focus).") }
        lines.append(
            "TikOmni bills these calls. \(context.price(of: "tikomni_douyin_item_list")) Make only these calls, and end "
                + "with what they cost."
        )
        return lines.joined(separator: "\n")
    }

    static let brandVisibility = PromptDefinition(
        name: "brand_visibility_in_ai",
        title: "Brand visibility in AI answers",
        description: "How a brand (品牌) shows up in DeepSeek, Doubao, Kimi and other AI answers over the last N days: "
            + "trend, competitors and cited sources, from GEO.",
        arguments: [
            .init("brand", "Brand", "The brand's name as tracked in GEO, or its brand id.", required: true),
            .init("days", "Days", "How many days to look back, 1 to 30 (default 30).", .integer(1...30, default: 30)),
        ],
        tools: ["geo_list_brands", "geo_brand_trend", "geo_competitors", "geo_citations"]
    ) { arguments, _ in
        let brand = arguments.text("brand") ?? ""
        let days = arguments.integer("days", default: 30)
        return [
            "Report how the brand \"\(brand)\" shows up in AI answers over the last \(days) days.",
            "",
            "1. Call geo_list_brands and find the brand whose name or id matches \"\(brand)\"; if none or several match, "
                + "show me the candidates and ask.",
            "2. Call geo_brand_trend with that brand_id and days \(days): per AI engine, the mention rate, first-place rate "
                + "and rank score, first → last and the change.",
            "3. Call geo_competitors with days \(days): who the answers mention alongside the brand, and who is gaining.",
            "4. Call geo_citations with days \(days): which sources the answers cite most, by engine.",
            "5. End with three concrete actions to raise the brand's visibility, each tied to a number above.",
        ].joined(separator: "\n")
    }

    static let creativaultPlatforms = ["tiktok", "youtube", "instagram"]
    static let datanexusPlatforms = ["xiaohongshu", "douyin", "kuaishou", "channels"]

    static let similarCreators = PromptDefinition(
        name: "find_similar_creators",
        title: "Find creators like X",
        description: "Find creators (博主, 达人) like one you name: CreatiVault lookalikes on TikTok, YouTube and "
            + "Instagram, or a DataNexus author search on Xiaohongshu, Douyin, Kuaishou and WeChat Channels.",
        arguments: [
            .init(
                "creator",
                "Creator",
                "The creator to match: a username or profile URL, or for Chinese platforms a name or niche (e.g. 美妆).",
                required: true
            ),
            .init(
                "platform",
                "Platform",
                "Where to look: \((creativaultPlatforms + datanexusPlatforms).joined(separator: ", ")).",
                .choice(creativaultPlatforms + datanexusPlatforms)
            ),
            .init(
                "count",
                "How many",
                "How many creators to find, 1 to 50 (default 10).",
                .integer(1...50, default: 10)
            ),
        ],
        tools: ["creativault_find_lookalikes", "datanexus_list_authors"],
        needs: .any
    ) { arguments, context throws(PromptError) in
        let creator = arguments.text("creator") ?? ""
        let count = arguments.integer("count", default: 10)
        let platform = arguments.text("platform")
        let lookalikes = "creativault_find_lookalikes"
        let authors = "datanexus_list_authors"
        var steps: [String] = []
        if context.exposes(lookalikes), platform.map(creativaultPlatforms.contains) ?? true {
            steps.append(
                "Call \(lookalikes) with username \"\(creator)\", platform \(platform ?? "(the creator's platform; ask me if unclear)") "
                    + "and limit \(count)."
            )
        }
        if context.exposes(authors), platform.map(datanexusPlatforms.contains) ?? true {
            steps.append(
                "Call \(authors) with platform \(platform ?? "(xiaohongshu, douyin, kuaishou or channels, as the creator's)"), "
                    + "a keyword for \"\(creator)\"'s niche (ask me when unsure) and page_size \(count). "
                    + context.price(of: authors)
            )
        }
        guard !steps.isEmpty else {
            throw PromptError(
                "platform \(platform ?? "") needs a tool this server does not expose "
                    + "(\(lookalikes) for \(creativaultPlatforms.joined(separator: "/")), "
                    + "\(authors) for \(datanexusPlatforms.joined(separator: "/")))"
            )
        }
        var lines = ["Find \(count) creators similar to \"\(creator)\".", ""]
        if steps.count > 1 { lines.append("Use whichever of these fits the creator's platform:") }
        lines += steps.map { "- " + $0 }
        lines.append(
            "Then rank them by fit (niche, audience, follower count), give one line on why each fits, and end with what "
                + "the calls cost."
        )
        return lines.joined(separator: "\n")
    }

    static let xiaohongshuTopicScan = PromptDefinition(
        name: "xiaohongshu_topic_scan",
        title: "Weekly Xiaohongshu topic scan",
        description: "A weekly scan of Xiaohongshu (小红书) notes on your topics with DataNexus: themes, standout notes "
            + "and the creators behind them.",
        arguments: [
            .init("keywords", "Topics", "Topics to scan, comma-separated, e.g. 防晒, 早C晚A.", required: true),
            .init(
                "page_size",
                "Notes per topic",
                "Notes to fetch per topic, 1 to 100 (default 20); each returned note is billed.",
                .integer(1...100, default: 20)
            ),
        ],
        tools: ["datanexus_list_works"]
    ) { arguments, context in
        let topics = (arguments.text("keywords") ?? "").split { $0 == "," || $0 == "，" || $0 == "、" }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let pageSize = arguments.integer("page_size", default: 20)
        return [
            "Run my weekly Xiaohongshu (小红书) topic scan for: \(topics.joined(separator: ", ")).",
            "",
            "1. For each topic, call datanexus_list_works with platform xiaohongshu, the topic as keyword and page_size "
                + "\(pageSize). \(context.price(of: "datanexus_list_works")) With several topics, quote the total first "
                + "with dry_run: true and tell me; a call above the ask-first threshold asks me before it is sent.",
            "2. Per topic: the recurring themes and angles, the standout notes (most liked, collected and commented, with "
                + "their ids), and the authors who appear more than once.",
            "3. Where publish dates are given, focus on the past 7 days and say what is new compared with older notes.",
            "4. End with three content ideas for this week and what the scan cost.",
        ].joined(separator: "\n")
    }
}
