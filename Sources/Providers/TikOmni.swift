import Catalog
import SeedFixtures
import Upstream
import Wire

/// TikOmni: Douyin creator-platform analytics for the user's own account, through their
/// creator cookie (seeds/tikomni-douyin-creator-v2-api.md).
public enum TikOmni {
    static let routePrefix = "/api/u1/v1/douyin/creator_v2/"
    static let cookieVariable = "TIKOMNI_DOUYIN_COOKIE"
    static let genres = [1, 2, 3, 4, 5, 8]
    static let genreMeaning =
        "1 video <1 min, 2 1-3 min, 3 3-5 min, 4 >5 min, 5 images, 8 long images"

    static func route(_ name: String) -> Endpoint { .post(routePrefix + name) }

    /// A Unix time in milliseconds (13 digits), as the seed asks.
    ///
    /// No seed states the bound: it refuses a microsecond timestamp before it becomes a
    /// billed call that finds nothing.
    static let milliseconds = Parameter.Kind.integer(0...9_999_999_999_999)

    static let cookie = Parameter(
        "cookie",
        .string(maxLength: 16_384),
        // No words of its own: the name says it, and the schema adds what "" means.
        "",
        required: true,
        in: .body,
        fallbackEnvironment: cookieVariable,
        secret: true
    )
    static let itemID = Parameter(
        "item_id",
        .string(),
        "Work id (作品ID).",
        required: true,
        in: .body
    )
    static let price = Price.undisclosed(
        "TikOmni bills each successful call at your plan's rate, which it does not publish here."
    )

    /// How to reach and authenticate with TikOmni.
    public static let provider = Provider(
        id: "tikomni",
        name: "TikOmni",
        credential: Credential("TIKOMNI_API_KEY", header: "Authorization", prefix: "Bearer "),
        baseURL: BaseURL("TIKOMNI_BASE_URL", default: "https://api.tikomni.com"),
        otherKeys: [
            ConfigKey(
                cookieVariable,
                "default Douyin creator cookie, so it need not pass through the conversation",
                secret: true
            )
        ],
        decode: decode,
        errorCodes: errorCodes,
        defaultTimeoutSeconds: 40,
        probe: Probe(.get("/"), authenticated: false),
        wrapSample: wrapSample
    )

    /// The toolset: its rows of the table.
    public static let toolset = Toolset(
        id: provider.id,
        name: provider.name,
        summary: "Douyin (抖音) creator-platform analytics for the user's own account, through their creator cookie "
            + "(creator.douyin.com → browser DevTools → Network → any request's Cookie header): account diagnosis, works "
            + "and per-work analysis, account analysis, live history, and any other TikOmni route.",
        settings: provider.configKeys,
        tools: [
            ToolDefinition(
                name: "tikomni_douyin_author_diagnosis",
                title: "Diagnose a Douyin account",
                summary:
                    "抖音 Douyin 账号诊断: last 7 days (engagement, followers, views, completion, posting) vs "
                    + "history and peers; what to improve.",
                parameters: [cookie],
                route: .endpoint(route("fetch_author_diagnosis")),
                price: price,
                presenter: TikOmniDiagnosis.present
            ),
            ToolDefinition(
                name: "tikomni_douyin_item_list",
                title: "List the account's works",
                summary:
                    "抖音 Douyin 作品列表: the account's works of a time range, with metrics; page with cursor while has_more.",
                parameters: [
                    cookie,
                    Parameter(
                        "start_time",
                        milliseconds,
                        "Start, Unix ms.",
                        required: true,
                        in: .body
                    ),
                    Parameter(
                        "end_time",
                        milliseconds,
                        "End, Unix ms.",
                        required: true,
                        in: .body
                    ),
                    Parameter("count", .integer(1...100), "Works per page.", default: 10, in: .body),
                    Parameter(
                        "order_by",
                        .integer(1...26),
                        "Odd = descending: 1 newest, 3 views, 5 likes, 13 2-s bounce, 17 completion, 25 new followers.",
                        default: 1,
                        in: .body
                    ),
                    Parameter(
                        "fields",
                        .array(of: .choice(["metrics", "review", "visibility"]), count: 1...3, joined: true),
                        "What to return (review = 审核); default all.",
                        in: .body
                    ),
                    Parameter("need_cooperation", .boolean, "Include cooperation (合作) info.", default: true, in: .body),
                    Parameter(
                        "need_long_article",
                        .boolean,
                        "Include long image posts (长图文).",
                        default: true,
                        in: .body
                    ),
                    Parameter(
                        "cursor",
                        .integer(0...Int.max),
                        "The previous page's cursor.",
                        in: .body
                    ),
                ],
                constraints: [.ascending(low: "start_time", high: "end_time")],
                route: .endpoint(route("fetch_item_list")),
                price: price
            ),
            ToolDefinition(
                name: "tikomni_douyin_item_overview",
                title: "Works overview data",
                summary:
                    "Overview of given works: traffic, review, play info, DOU+, incentives, content analysis.",
                parameters: [
                    cookie,
                    Parameter(
                        "ids",
                        .array(of: .string(), count: 1...Int.max, joined: true),
                        "Work ids.",
                        required: true,
                        in: .body
                    ),
                    Parameter(
                        "fields",
                        .array(
                            of: .choice([
                                "metrics", "review", "play_info", "dou_plus", "integrated_incentive", "incentive_life",
                                "content_analysis",
                            ]),
                            count: 1...7,
                            joined: true
                        ),
                        "What to return; default all.",
                        in: .body
                    ),
                ],
                route: .endpoint(route("fetch_item_overview_data")),
                price: price
            ),
            ToolDefinition(
                name: "tikomni_douyin_item_analysis",
                title: "Analyse one work",
                summary:
                    "作品分析 of one work by aspect: audience portrait (gender, age, region, interests), traffic sources, "
                    + "search keywords, watch curve, 弹幕.",
                parameters: [
                    cookie, itemID,
                    Parameter(
                        "aspect",
                        .choice([
                            "audience_portrait", "audience_others", "play_source", "search_keywords", "watch_trend",
                            "danmaku",
                        ]),
                        "What to analyse.",
                        required: true,
                        in: .route
                    ),
                    Parameter(
                        "analysis_type",
                        .integerChoice([1, 2, 7]),
                        "1 retention, 2 likes, 7 bounce.",
                        default: 1,
                        in: .body,
                        scope: Condition("aspect", in: ["watch_trend"])
                    ),
                ],
                route: .choice(
                    by: "aspect",
                    [
                        "audience_portrait": route("fetch_item_audience_portrait"),
                        "audience_others": route("fetch_item_audience_others"),
                        "play_source": route("fetch_item_play_source"),
                        "search_keywords": route("fetch_item_search_keyword"),
                        "watch_trend": route("fetch_item_watch_trend"),
                        "danmaku": route("fetch_item_danmaku_analysis"),
                    ]
                ),
                price: price
            ),
            ToolDefinition(
                name: "tikomni_douyin_account_analysis",
                title: "Analyse the account's posts",
                summary:
                    "Posts of a date range by vertical (垂类): involved_vertical lists them first; overview sums, "
                    + "item_performance ranks works.",
                parameters: [
                    cookie,
                    Parameter(
                        "start_date",
                        .string(.date(.compact)),
                        "First day, YYYYMMDD.",
                        required: true,
                        in: .body
                    ),
                    Parameter("end_date", .string(.date(.compact)), "Last day, YYYYMMDD.", required: true, in: .body),
                    Parameter(
                        "view",
                        .choice(["overview", "item_performance", "involved_vertical"]),
                        "overview, item_performance or involved_vertical.",
                        required: true,
                        in: .route
                    ),
                    Parameter(
                        "primary_verticals",
                        .array(of: .string(), count: 1...Int.max),
                        "From view involved_vertical, e.g. 美食.",
                        required: true,
                        in: .body,
                        scope: Condition("view", in: ["overview", "item_performance"])
                    ),
                    Parameter(
                        "genres",
                        .array(of: .integerChoice(genres), count: 1...6),
                        "Default all: \(genreMeaning).",
                        in: .body,
                        scope: Condition("view", in: ["overview", "item_performance"])
                    ),
                    Parameter(
                        "metric_type",
                        .integerChoice([1, 2, 3, 4]),
                        "Rank by 1 views, 2 likes, 3 comments, 4 shares.",
                        default: 1,
                        in: .body,
                        scope: Condition("view", in: ["item_performance"])
                    ),
                ],
                // The seed's "at most 90 days" is end − start: its own example, 20250713 to
                // 20251011, is 90 days apart and 91 counting both ends, as this rule counts.
                constraints: [.dateSpan(from: "start_date", to: "end_date", maxDays: 91)],
                route: .choice(
                    by: "view",
                    [
                        "overview": route("fetch_item_analysis_overview"),
                        "item_performance": route("fetch_item_analysis_item_performance"),
                        "involved_vertical": route("fetch_item_analysis_involved_vertical"),
                    ]
                ),
                price: price
            ),
            ToolDefinition(
                name: "tikomni_douyin_item_list_download",
                title: "Export works to Excel",
                summary:
                    "Save ≤ 1,000 works of a time range to a local Excel file (path in the result).",
                parameters: [
                    cookie,
                    Parameter(
                        "min_cursor",
                        milliseconds,
                        "Start, Unix ms.",
                        required: true,
                        in: .body
                    ),
                    Parameter(
                        "max_cursor",
                        milliseconds,
                        "End, Unix ms.",
                        required: true,
                        in: .body
                    ),
                    Parameter(
                        "type_filters",
                        .array(of: .integerChoice(genres), count: 1...6),
                        "Default all: \(genreMeaning).",
                        in: .body
                    ),
                    Parameter(
                        "need_long_article",
                        .boolean,
                        "Include long image posts (长图文).",
                        default: true,
                        in: .body
                    ),
                ],
                constraints: [.ascending(low: "min_cursor", high: "max_cursor")],
                route: .endpoint(route("fetch_item_list_download")),
                price: price,
                timeoutSeconds: 55
            ),
            ToolDefinition(
                name: "tikomni_douyin_live_history",
                title: "Live-stream history",
                summary: "The account's past live streams in a date range, with their data.",
                parameters: [
                    cookie,
                    Parameter(
                        "start_date",
                        .string(.date(.dashed)),
                        "First day, YYYY-MM-DD.",
                        required: true,
                        in: .body
                    ),
                    Parameter("end_date", .string(.date(.dashed)), "Last day, YYYY-MM-DD.", required: true, in: .body),
                    Parameter("limit", .integer(1...400), "Max streams.", default: 400, in: .body),
                    Parameter(
                        "need_living",
                        .integerChoice([0, 1]),
                        "1: include a stream in progress.",
                        default: 1,
                        in: .body
                    ),
                    Parameter(
                        "download",
                        .integerChoice([0, 1]),
                        "1: save the list as a local file.",
                        default: 0,
                        in: .body
                    ),
                ],
                constraints: [.dateSpan(from: "start_date", to: "end_date", maxDays: nil)],
                route: .endpoint(route("fetch_live_room_history_list")),
                price: price
            ),
            ToolDefinition(
                name: "tikomni_call_route",
                title: "Call another TikOmni route",
                summary: "Any other TikOmni route by path (e.g. /api/u1/v1/douyin/web/fetch_one_video), with its "
                    + "query or body; no cookie added.",
                parameters: [
                    Parameter(
                        "path",
                        .string(.routePath(prefixes: ["/api/u1/v1/", "/api/u2/v1/"])),
                        "Route path, no host or query.",
                        required: true,
                        in: .route
                    ),
                    Parameter(
                        "method",
                        .choice(["GET", "POST"]),
                        "GET or POST.",
                        required: true,
                        in: .route
                    ),
                    Parameter("query", .object, "Query parameters.", in: .queryObject),
                    Parameter(
                        "body",
                        .object,
                        "JSON body.",
                        in: .bodyObject,
                        scope: Condition("method", in: ["POST"])
                    ),
                ],
                route: .passthrough(method: "method", path: "path"),
                price: price,
                effect: .passthrough
            ),
        ]
    )
}
