import Catalog
import Upstream

/// GEO (独角兽 GEO): a brand's visibility in AI answer engines (seeds/geo-openapi.md).
public enum GEO {
    static let platforms = ["deepseek", "doubao", "wenxin", "kimi", "qianwen", "yuanbao"]

    static let brandID = Parameter(
        "brand_id",
        .string(),
        "From geo_list_brands.",
        required: true,
        in: .path
    )
    static let days = Parameter(
        "days",
        .integer(1...30),
        "Last N days.",
        default: 30,
        in: .query
    )
    // Named for the model as in TikOmni's rows; `from` is a Python keyword that some
    // converters drop, so GEO's names are only used on the wire.
    static let startDate = Parameter(
        "start_date",
        .string(.date(.dashed)),
        "First day, UTC, inclusive.",
        in: .query,
        wireName: "from"
    )
    static let endDate = Parameter(
        "end_date",
        .string(.date(.dashed)),
        "Last day, UTC, inclusive.",
        in: .query,
        wireName: "to"
    )
    static let platform = Parameter(
        "platform",
        .array(of: .choice(platforms), count: 1...6, joined: true),
        "AI engines; default: all in your plan.",
        in: .query
    )
    static let window: [Constraint] = [
        .together(["start_date", "end_date"]), .exclusive(["days"], ["start_date", "end_date"]),
        .dateSpan(from: "start_date", to: "end_date", maxDays: 30),
    ]
    static let price = Price.free("included in your GEO plan; one request per second per key, paced by this server")

    /// How to reach and authenticate with GEO.
    public static let provider = Provider(
        id: "geo",
        name: "GEO",
        credential: Credential("GEO_API_KEY", header: "X-API-Key"),
        environmentHeaders: [
            EnvironmentHeader(
                "GEO_WORKSPACE",
                header: "X-Active-Workspace",
                required: false,
                meaning: "GEO workspace owner's user id, to read a workspace you were invited to"
            )
        ],
        baseURL: BaseURL("GEO_BASE_URL", default: "https://geo.yueyuezi.com/open-api/v1"),
        decode: decode,
        errorCodes: errorCodes,
        // One request per second per key; a little over, so network jitter cannot make
        // two requests arrive closer than a second apart.
        requestSpacing: .milliseconds(1_100),
        isDailyData: true,
        defaultTimeoutSeconds: 30,
        probe: Probe(.get("/brands"), authenticated: true)
    )

    /// The toolset: its rows of the table.
    public static let toolset = Toolset(
        id: provider.id,
        name: provider.name,
        summary:
            "a brand's visibility in AI answer engines (DeepSeek, Doubao, Wenxin, Kimi, Qianwen, Yuanbao): brands, "
            + "topics, rank overview, daily trend, rank positions, citations, competitors. Updated daily; free within the GEO plan.",
        settings: provider.configKeys,
        tools: [
            ToolDefinition(
                name: "geo_list_brands",
                title: "List brands",
                summary:
                    "List the workspace's brands (品牌; frozen: is_active=false). Start here for brand ids.",
                route: .endpoint(.get("/brands")),
                price: price
            ),
            ToolDefinition(
                name: "geo_get_brand",
                title: "Get a brand",
                summary: "One brand's name, website and description.",
                parameters: [brandID],
                route: .endpoint(.get("/brands/{brand_id}")),
                price: price
            ),
            ToolDefinition(
                name: "geo_list_topics",
                title: "List a brand's topics",
                summary:
                    "A brand's tracked topics: the questions simulated in AI engines.",
                parameters: [brandID],
                route: .endpoint(.get("/brands/{brand_id}/topics")),
                price: price
            ),
            ToolDefinition(
                name: "geo_brand_overview",
                title: "Brand overview by topic",
                summary:
                    "Per topic, last N days: mention rate, first-place rate, average rank, rank score across AI engines.",
                parameters: [brandID, days],
                route: .endpoint(.get("/brands/{brand_id}/overview")),
                price: price
            ),
            ToolDefinition(
                name: "geo_brand_trend",
                title: "Brand trend in AI answers",
                summary:
                    "Daily mention rate, first-place rate, rank score per AI engine, summarised "
                    + "(change, min, max).",
                // Section 5.5 lists only days; from/to/platform are documented for citations (5.7).
                parameters: [brandID, days],
                route: .endpoint(.get("/brands/{brand_id}/trend")),
                price: price,
                presenter: GEOTrendSummary.present
            ),
            ToolDefinition(
                name: "geo_rank_positions",
                title: "Daily rank positions",
                summary: "The brand's rank per topic, engine and day (finer than the trend).",
                parameters: [brandID, days],
                route: .endpoint(.get("/brands/{brand_id}/rank-positions")),
                price: price
            ),
            ToolDefinition(
                name: "geo_citations",
                title: "Cited sources",
                summary:
                    "Pages AI answers cited (引用来源) for the brand's topics, per source, topic and engine.",
                parameters: [brandID, days, startDate, endDate, platform],
                constraints: window,
                route: .endpoint(.get("/brands/{brand_id}/citations")),
                price: price
            ),
            ToolDefinition(
                name: "geo_citations_overview",
                title: "Citation totals",
                summary: "All-time citation totals for a brand: citations, sources, domains and topics.",
                parameters: [brandID],
                route: .endpoint(.get("/brands/{brand_id}/citations/overview")),
                price: price
            ),
            ToolDefinition(
                name: "geo_competitors",
                title: "Discovered competitors",
                summary: "竞品: entities AI answers mention with the brand: mentions, average position, recent vs "
                    + "previous (7/14 d), daily trend.",
                parameters: [brandID, days],
                route: .endpoint(.get("/brands/{brand_id}/competitors")),
                price: price
            ),
        ]
    )

    /// `{data}` or `{error: {code, message}}`; a 200 with `"error": null` is a success.
    static func decode(_ response: HTTPResponse, _ provider: Provider) throws(UpstreamError) -> UpstreamPayload {
        let body = try Envelope.json(response, provider: provider)
        let errorValue = body["error"]
        if Envelope.isSuccess(response.status), errorValue?.isNull ?? true {
            return UpstreamPayload(data: body["data"] ?? .null)
        }
        let code = errorValue?["code"]?.stringValue
        throw Envelope.failure(response, provider, code: code, message: errorValue?["message"]?.stringValue)
    }

    static let consoleKeys = "the GEO console (个人中心 → API Key 管理)"

    /// The codes of the seed's error table (section 3).
    static let errorCodes: [String: ErrorMeaning] = [
        "missing_api_key": ErrorMeaning(
            .unauthorized,
            "Set GEO_API_KEY (create a key in \(consoleKeys)) and restart the server."
        ),
        "invalid_api_key": ErrorMeaning(
            .unauthorized,
            "GEO_API_KEY is invalid or was deleted: create a new key in \(consoleKeys)."
        ),
        "workspace_forbidden": ErrorMeaning(
            .forbidden,
            "GEO_WORKSPACE (sent as X-Active-Workspace) names a workspace this key cannot read: unset it to use "
                + "your own workspace, or set it to the owner's user id of a workspace you were invited to."
        ),
        "brand_forbidden": ErrorMeaning(
            .forbidden,
            "This brand belongs to another workspace: call geo_list_brands for the brands this key can read "
                + "(set GEO_WORKSPACE to read an invited workspace)."
        ),
        "brand_not_found": ErrorMeaning(
            .notFound,
            "No such brand, or it was deleted: call geo_list_brands for valid brand ids."
        ),
        "rate_limited": ErrorMeaning(
            .rateLimited(retryAfterSeconds: nil),
            "GEO allows one request per second per key; this server paces and retries, but the limit was still "
                + "hit (another client may share the key). Wait 1 s (or the Retry-After GEO sent) and try again."
        ),
        "internal_error": ErrorMeaning(.serverError, "GEO had an internal error; try again later."),
    ]
}
