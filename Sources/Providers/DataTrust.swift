import Catalog
import Upstream
import Wire

/// DataTrust: a self-hosted data marketplace of models, datasets, products and resources.
///
/// From seeds/datatrust-api.md: all GET; listing is free, details are charged.
public enum DataTrust {
    static let keyword = Parameter("keyword", .string(), "Keyword, e.g. 金融.", in: .query)
    // The seed bounds neither; listing is free, so no cap protects money here.
    static let page = Parameter("page", .integer(1...Int.max), "Page.", default: 1, in: .query)
    static let perPage = Parameter("per_page", .integer(1...Int.max), "Items per page.", default: 20, in: .query)
    static let id = Parameter(
        "id",
        .string(),
        "From a search or list.",
        required: true,
        in: .path
    )
    static let kind = Parameter(
        "kind",
        .choice(["products", "resources"]),
        "Data products or resources.",
        required: true,
        in: .route
    )
    static let free = Price.free("DataTrust lists and searches at no charge")
    static let charged = Price.reportedByProvider(
        .cny,
        "DataTrust charges for details per call (a model detail was ¥3.00 in its docs) and reports credits_charged and balance_remaining; "
            + "accounts have some free calls."
    )
    /// The model detail: its documented example charged ¥3.00 for a full model, the floor
    /// of what the ledger reserves for one call.
    static let chargedModel = Price.reportedByProvider(
        .cny,
        "DataTrust charges for details per call (a model detail was ¥3.00 in its docs) and reports credits_charged and balance_remaining; "
            + "accounts have some free calls.",
        documented: .yuan(3)
    )

    /// How to reach and authenticate with DataTrust.
    public static let provider = Provider(
        id: "datatrust",
        name: "DataTrust",
        credential: Credential("DATATRUST_API_KEY", header: "Authorization", prefix: "Bearer "),
        baseURL: BaseURL("DATATRUST_BASE_URL", default: "http://localhost:3001/api/v1"),
        decode: decode,
        errorCodes: errorCodes,
        defaultTimeoutSeconds: 20,
        probe: Probe(.get("/models"), authenticated: true)
    )

    /// The toolset: its rows of the table.
    public static let toolset = Toolset(
        id: provider.id,
        name: provider.name,
        summary:
            "a data marketplace: data models (fields, samples, quality grades S to D), certified datasets, data products "
            + "and resources, and the account's balance and usage. Listing is free; details are charged in yuan, reported per call.",
        settings: provider.configKeys,
        tools: [
            ToolDefinition(
                name: "datatrust_search_models",
                title: "Search data models",
                summary: "Search data models by keyword, industry and quality grade.",
                parameters: [
                    keyword,
                    Parameter("industry", .string(), "Industry, e.g. 互联网 or 金融.", in: .query),
                    Parameter("grade", .choice(["S", "A", "B+", "B", "C", "D"]), "Quality grade.", in: .query),
                    page, perPage,
                ],
                route: .endpoint(.get("/models")),
                price: free
            ),
            ToolDefinition(
                name: "datatrust_get_model",
                title: "Get a data model",
                summary:
                    "A data model (数据模型): full, its fields only, or sample rows only.",
                parameters: [
                    id,
                    Parameter(
                        "part",
                        .choice(["full", "fields", "sample"]),
                        "full, fields or sample.",
                        default: "full",
                        in: .route
                    ),
                ],
                route: .choice(
                    by: "part",
                    [
                        "full": .get("/models/{id}"), "fields": .get("/models/{id}/fields"),
                        "sample": .get("/models/{id}/sample"),
                    ],
                    default: "full"
                ),
                price: chargedModel
            ),
            ToolDefinition(
                name: "datatrust_search_datasets",
                title: "List certified datasets",
                summary: "List certified datasets (数据知识产权).",
                // The seed documents no parameters for /datasets.
                route: .endpoint(.get("/datasets")),
                price: free
            ),
            ToolDefinition(
                name: "datatrust_get_dataset",
                title: "Get a dataset",
                summary:
                    "A dataset's full record: V6 score (six dimensions), fields, certification evidence.",
                parameters: [id],
                route: .endpoint(.get("/datasets/{id}")),
                price: charged
            ),
            ToolDefinition(
                name: "datatrust_list_products",
                title: "List products or resources",
                summary: "Browse data products or resources.",
                // The seed documents no parameters for /products and /resources.
                parameters: [kind],
                route: .choice(by: "kind", ["products": .get("/products"), "resources": .get("/resources")]),
                price: free
            ),
            ToolDefinition(
                name: "datatrust_get_product",
                title: "Get a product or resource",
                summary: "One data product's or resource's details.",
                parameters: [kind, id],
                route: .choice(by: "kind", ["products": .get("/products/{id}"), "resources": .get("/resources/{id}")]),
                price: charged
            ),
            ToolDefinition(
                name: "datatrust_get_account",
                title: "Account balance or usage",
                summary: "Balance, free calls left and tier (balance), or usage statistics (usage).",
                parameters: [
                    Parameter(
                        "view",
                        .choice(["balance", "usage"]),
                        "balance or usage.",
                        default: "balance",
                        in: .route
                    )
                ],
                route: .choice(
                    by: "view",
                    ["balance": .get("/account/balance"), "usage": .get("/account/usage")],
                    default: "balance"
                ),
                price: .free("account information"),
                // A balance is read to decide whether to spend: never an old one.
                cacheable: false
            ),
        ]
    )

    /// `{success, data, credits_charged?, balance_remaining?}` or `{success:false, error, code}`.
    static func decode(_ response: HTTPResponse, _ provider: Provider) throws(UpstreamError) -> UpstreamPayload {
        let body = try Envelope.json(response, provider: provider)
        guard Envelope.isSuccess(response.status), body["success"] == .bool(true) else {
            let code = Envelope.text(body["code"])
            throw Envelope.failure(response, provider, code: code, message: Envelope.text(body["error"]))
        }
        var billing = ProviderBilling()
        var details: [String: JSONValue] = [:]
        if let charged = body["credits_charged"]?.doubleValue {
            billing.charged = .yuan(charged)
            details["credits_charged"] = .double(charged)
        }
        if let balance = body["balance_remaining"]?.doubleValue {
            billing.balance = .yuan(balance)
            details["balance_remaining"] = .double(balance)
        }
        return UpstreamPayload(data: body["data"] ?? .null, billing: billing, details: details)
    }

    /// The codes of the seed's error table.
    static let errorCodes: [String: ErrorMeaning] = [
        "AUTH_REQUIRED": ErrorMeaning(
            .unauthorized,
            "DataTrust received no key: set DATATRUST_API_KEY (console → API密钥) and restart the server."
        ),
        "INVALID_API_KEY": ErrorMeaning(
            .unauthorized,
            "DATATRUST_API_KEY is invalid or revoked: create a new key in the DataTrust console (API密钥)."
        ),
        "INSUFFICIENT_BALANCE": ErrorMeaning(
            .insufficientBalance,
            "The DataTrust balance is too low for this detail: recharge the account, then retry. "
                + "Nothing was charged; searches and lists stay free."
        ),
        "NOT_FOUND": ErrorMeaning(.notFound, "No such item: search or list first for valid ids."),
        "RATE_LIMITED": ErrorMeaning(
            .rateLimited(retryAfterSeconds: nil),
            "DataTrust is limiting the request rate: wait a little, then retry."
        ),
        "INTERNAL_ERROR": ErrorMeaning(.serverError, "DataTrust had an internal error; try again later."),
    ]
}
