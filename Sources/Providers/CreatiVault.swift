import Catalog
import Upstream
import Wire

/// CreatiVault: TikTok, YouTube and Instagram creators and asynchronous collection tasks.
///
/// From seeds/creativault-api.md: all POST with JSON bodies; no public host is documented.
public enum CreatiVault {
    static let platforms = ["tiktok", "youtube", "instagram"]

    static let platform = Parameter(
        "platform",
        .choice(platforms),
        "Platform.",
        required: true,
        in: .body
    )
    static let taskID = Parameter(
        "task_id",
        .string(),
        "From a submit.",
        required: true,
        in: .body
    )
    static let taskName = Parameter("task_name", .string(), "Your name for it.", in: .body)
    static let webhook = Parameter(
        "webhook_url",
        .string(.httpsURL),
        "Signed POST on completion; reply within 5 s.",
        in: .body
    )
    // The seed bounds no page number; a page number costs nothing by itself.
    static let page = Parameter("page", .integer(1...Int.max), "Page.", default: 1, in: .body)
    // No seed states a maximum; credits grow with the page size, so the cap protects the
    // user's credits from one runaway call.
    static let size = Parameter("size", .integer(1...100), "Items per page.", default: 20, in: .body)
    static let credits = Price.reportedByProvider(
        .credits,
        "CreatiVault charges credits per call (more for higher service levels and larger pages) and reports them; each result states the credits consumed."
    )

    /// How to reach and authenticate with CreatiVault.
    public static let provider = Provider(
        id: "creativault",
        name: "CreatiVault",
        credential: Credential("CREATIVAULT_API_KEY", header: "X-API-Key"),
        environmentHeaders: [
            EnvironmentHeader(
                "CREATIVAULT_USER_IDENTITY",
                header: "X-User-Identity",
                required: true,
                meaning: "the email of your CreatiVault account"
            )
        ],
        baseURL: BaseURL("CREATIVAULT_BASE_URL", default: nil),
        decode: decode,
        errorCodes: errorCodes,
        probe: Probe(.post("/webhook/verify"), body: ["challenge": "social-data-mcp-doctor"], authenticated: false)
    )

    /// The toolset: its rows of the table.
    public static let toolset = Toolset(
        id: provider.id,
        name: provider.name,
        summary:
            "TikTok, YouTube and Instagram creators: filtered search, lookalikes, and asynchronous collection tasks "
            + "(submit, wait for, page through, export). Billed in CreatiVault credits, reported on every result.",
        settings: provider.configKeys,
        tools: [
            ToolDefinition(
                name: "creativault_search_creators",
                title: "Search creators",
                summary:
                    "Search TikTok, YouTube, Instagram 网红 influencers (KOL, 达人) by filters; service_level sets detail.",
                parameters: [
                    Parameter(
                        "platform",
                        .choice(platforms),
                        "Platform.",
                        required: true,
                        in: .path
                    ),
                    Parameter("keyword", .string(), "Keyword, e.g. beauty.", in: .body),
                    Parameter("country_code", .string(), "ISO country code, e.g. US.", in: .body),
                    Parameter(
                        "followers_cnt_gte",
                        .integer(0...Int.max),
                        "Minimum followers.",
                        in: .body
                    ),
                    Parameter(
                        "is_product_kol",
                        .boolean,
                        "Only creators who sell products.",
                        in: .body
                    ),
                    page, size,
                    Parameter(
                        "sort_field",
                        .string(),
                        "Field to sort by, e.g. followers_cnt.",
                        in: .body
                    ),
                    Parameter(
                        "sort_order",
                        .choice(["asc", "desc"]),
                        "asc or desc.",
                        in: .body
                    ),
                    Parameter(
                        "service_level",
                        .choice(["S1", "S2", "S3"]),
                        "Detail per result: S1 basic, S2 more, S3 most (costs more).",
                        in: .body
                    ),
                    Parameter(
                        "lang",
                        .string(),
                        "Result language, e.g. en.",
                        in: .body
                    ),
                ],
                route: .endpoint(.post("/creators/{platform}/search")),
                price: credits
            ),
            ToolDefinition(
                name: "creativault_find_lookalikes",
                title: "Find lookalike creators",
                summary: "Lookalike 网红 KOL creators: similar to a seed creator (username or profile URL).",
                parameters: [
                    Parameter(
                        "username",
                        .string(),
                        "The seed creator's username or profile URL.",
                        required: true,
                        in: .body
                    ),
                    platform,
                    Parameter("target_region", .string(), "Region to find them in, e.g. US.", in: .body),
                    // No seed states a maximum; credits grow with the results, so one call cannot
                    // ask for more than a page's worth.
                    Parameter("limit", .integer(1...100), "How many to find.", default: 10, in: .body),
                    Parameter("follower_min", .integer(0...Int.max), "Minimum followers.", in: .body),
                    Parameter("lang", .string(), "Language, e.g. en.", in: .body),
                ],
                route: .endpoint(.post("/creators/lookalike")),
                price: credits
            ),
            ToolDefinition(
                name: "creativault_submit_collection",
                title: "Submit a collection task",
                summary:
                    "Start collecting creators' data from profile URLs or usernames; returns a task_id to poll.",
                parameters: [
                    Parameter(
                        "task_type",
                        .choice(["LINK_BATCH", "FILE_UPLOAD"]),
                        "LINK_BATCH: values are URLs; FILE_UPLOAD: usernames.",
                        required: true,
                        in: .body
                    ),
                    platform,
                    // No seed states a maximum: a cap on the paid work one call can start,
                    // which is never retried and cannot be taken back.
                    Parameter(
                        "values",
                        .array(of: .string(), count: 1...1_000),
                        "Profile URLs or usernames.",
                        required: true,
                        in: .body
                    ),
                    taskName, webhook,
                ],
                route: .endpoint(.post("/collection/tasks/submit")),
                price: credits,
                effect: .createsPaidWork
            ),
            ToolDefinition(
                name: "creativault_submit_keyword_collection",
                title: "Start a keyword collection",
                summary:
                    "Start collecting creators found by keywords; returns a task_id.",
                parameters: [
                    platform,
                    // No seed states a maximum: a cap on the paid work one call can start.
                    Parameter(
                        "keywords",
                        .array(of: .string(), count: 1...100),
                        "Keywords, e.g. beauty tips.",
                        required: true,
                        in: .body
                    ),
                    taskName, webhook,
                ],
                route: .endpoint(.post("/collection/tasks/keyword-submit")),
                price: credits,
                effect: .createsPaidWork
            ),
            ToolDefinition(
                name: "creativault_get_task_status",
                title: "Task status",
                summary:
                    "A collection task's status; wait_seconds polls until it finishes.",
                parameters: [
                    taskID,
                    Parameter(
                        "wait_seconds",
                        .integer(0...50),
                        "Wait up to N s (clients time out at 60); 0 checks once.",
                        default: 0,
                        in: .local
                    ),
                ],
                route: .endpoint(.post("/collection/tasks/status")),
                price: credits,
                cacheable: false,
                presenter: CreatiVaultTasks.present,
                execution: .custom(CreatiVaultTasks.waitForTask)
            ),
            ToolDefinition(
                name: "creativault_get_task_data",
                title: "Collected data",
                summary: "The creators a finished task collected, by page.",
                parameters: [taskID, page, size],
                route: .endpoint(.post("/collection/tasks/data")),
                price: credits
            ),
            ToolDefinition(
                name: "creativault_export_task",
                title: "Export task data",
                summary:
                    "Export a task's data as xlsx; returns a file_id for creativault_get_download_url.",
                parameters: [
                    // The seed shows only xlsx.
                    taskID, Parameter("format", .choice(["xlsx"]), "Only xlsx.", default: "xlsx", in: .body),
                ],
                route: .endpoint(.post("/collection/tasks/export")),
                price: credits
            ),
            ToolDefinition(
                name: "creativault_get_download_url",
                title: "File download URL",
                summary: "A download link for an exported file.",
                parameters: [
                    Parameter("file_id", .string(), "The file_id an export returned.", required: true, in: .body)
                ],
                route: .endpoint(.post("/files/download-url")),
                price: credits,
                // Links expire; a cached one could be dead.
                cacheable: false
            ),
            ToolDefinition(
                name: "creativault_verify_webhook",
                title: "Check a webhook",
                summary:
                    "Check a webhook works before submitting a task with it.",
                parameters: [
                    Parameter("challenge", .string(), "Any string; echoed back.", required: true, in: .body)
                ],
                route: .endpoint(.post("/webhook/verify")),
                price: .free("public endpoint"),
                cacheable: false,
                authentication: .none
            ),
        ]
    )

    /// `{success, data, error, meta}`: `meta`'s credits, quota, request id and paging are
    /// surfaced on every result so the agent knows the cost and whether there is more.
    static func decode(_ response: HTTPResponse, _ provider: Provider) throws(UpstreamError) -> UpstreamPayload {
        let body = try Envelope.json(response, provider: provider)
        let meta = body["meta"]?.objectValue ?? [:]
        let requestID = Envelope.text(meta["request_id"])
        guard Envelope.isSuccess(response.status), body["success"] == .bool(true) else {
            let errorValue = body["error"]
            let code = Envelope.text(errorValue?["code"])
            let message =
                Envelope.text(errorValue) ?? Envelope.text(errorValue?["message"]) ?? Envelope.text(body["message"])
            throw Envelope.failure(response, provider, code: code, message: message, requestID: requestID)
        }
        var details: [String: JSONValue] = [:]
        for key in ["request_id", "page", "size", "total", "quota_remaining", "service_level", "credits_consumed"] {
            if let value = meta[key] { details[key] = value }
        }
        var notes: [String] = []
        if let page = meta["page"]?.intValue, let size = meta["size"]?.intValue, size > 0,
            let total = meta["total"]?.intValue
        {
            let pages = (total + size - 1) / size
            notes.append(
                "Page \(page) of \(pages) (\(size) per page, \(total) in all)"
                    + (page < pages ? "; ask for page \(page + 1) for more." : "; this is the last page.")
            )
        }
        var creditsLine = "CreatiVault credits consumed: \(Envelope.text(meta["credits_consumed"]) ?? "not reported")"
        if let quota = meta["quota_remaining"]?.intValue {
            creditsLine += quota < 0 ? "; quota remaining: unlimited" : "; quota remaining: \(quota)"
        }
        if let requestID { creditsLine += "; request id \(requestID)" }
        notes.append(creditsLine + ".")
        let charged = meta["credits_consumed"]?.doubleValue.map { Money($0, .credits) }
        return UpstreamPayload(
            data: body["data"] ?? .null,
            billing: ProviderBilling(charged: charged),
            details: details,
            notes: notes
        )
    }

    /// CreatiVault documents permissions, not error codes: the statuses say which failed.
    static let errorCodes: [String: ErrorMeaning] = [
        "401": ErrorMeaning(
            "Check CREATIVAULT_API_KEY and that CREATIVAULT_USER_IDENTITY is the email of the account that owns it."
        ),
        "403": ErrorMeaning(
            "The key lacks this permission (search needs creators:<platform>:search, submits need collection:submit)."
        ),
        "402": ErrorMeaning("The CreatiVault account is out of credits; top it up, then retry."),
    ]
}
