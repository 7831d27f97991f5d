import Catalog
import Foundation
import Upstream
import Wire

/// DataNexus: Xiaohongshu, Douyin, WeChat Channels and Kuaishou authors and works, and
/// GPT Image 2 text-to-image (seeds/datanexus-api.md).
public enum DataNexus {
    static let platforms = ["xiaohongshu", "douyin", "channels", "kuaishou"]
    static let walletURL = "https://dataneuxs.icu/wallet"
    /// The free price-list row, which `PriceBook` calls for the current unit price.
    static let pricingTool = "datanexus_get_pricing"

    static let platform = Parameter(
        "platform",
        .choice(platforms),
        "xiaohongshu 小红书, douyin 抖音, channels 视频号, kuaishou 快手.",
        required: true,
        in: .path
    )
    static let keyword = Parameter("keyword", .string(), "Keyword, e.g. 美妆 or a name.", in: .query)
    // The seed bounds page_size (100), not page: a page number costs nothing by itself.
    static let page = Parameter("page", .integer(1...Int.max), "Page.", default: 1, in: .query)
    static let pageSize = Parameter(
        "page_size",
        .integer(1...100),
        "Items per page; each is billed.",
        default: 20,
        in: .query
    )
    static let perReturnedItem = Price.perItem(
        .yuan(0.08),
        unit: "item",
        maximum: .argument(pageSize),
        counted: .array(at: ["items"])
    )
    static let perDetail = Price.perItem(.yuan(0.08), unit: "item", maximum: .fixed(1), counted: .oneIfPresent)

    /// How to reach and authenticate with DataNexus.
    public static let provider = Provider(
        id: "datanexus",
        name: "DataNexus",
        credential: Credential("DATANEXUS_API_KEY", header: "X-API-Key"),
        baseURL: BaseURL("DATANEXUS_BASE_URL", default: "https://dataneuxs.icu"),
        decode: decode,
        errorCodes: errorCodes,
        probe: Probe(.get("/health"), authenticated: false)
    )

    /// The toolset: its rows of the table.
    public static let toolset = Toolset(
        id: provider.id,
        name: provider.name,
        summary: "Xiaohongshu (小红书), Douyin (抖音), WeChat Channels (视频号) and Kuaishou (快手) authors and works, "
            + "billed ¥0.08 per returned item; GPT Image 2 text-to-image at ¥0.50 per image.",
        settings: provider.configKeys,
        tools: [
            ToolDefinition(
                name: "datanexus_list_authors",
                title: "Search authors",
                summary:
                    "Search 博主/达人 KOL creators on 小红书 XHS RedNote, 抖音 Douyin, 视频号, 快手 by keyword.",
                parameters: [platform, keyword, page, pageSize],
                route: .endpoint(.get("/api/v1/platforms/{platform}/authors")),
                price: perReturnedItem
            ),
            ToolDefinition(
                name: "datanexus_get_author",
                title: "Get an author",
                summary: "One 博主 KOL creator's profile by account id.",
                parameters: [
                    platform,
                    Parameter(
                        "id",
                        .string(),
                        "Account id, e.g. 506931231.",
                        required: true,
                        in: .path
                    ),
                ],
                route: .endpoint(.get("/api/v1/platforms/{platform}/authors/{id}")),
                price: perDetail
            ),
            ToolDefinition(
                name: "datanexus_list_works",
                title: "Search works",
                summary: "Search 笔记/作品 (notes, videos) on 小红书 XHS, 抖音 Douyin, 视频号, 快手 by keyword and/or author.",
                parameters: [
                    platform, keyword,
                    Parameter("author_id", .string(), "Only works by this author id.", in: .query),
                    page, pageSize,
                ],
                route: .endpoint(.get("/api/v1/platforms/{platform}/works")),
                price: perReturnedItem
            ),
            ToolDefinition(
                name: "datanexus_get_work",
                title: "Get a work",
                summary: "One 笔记/作品 (note or video) by id, with its metrics.",
                parameters: [
                    platform,
                    Parameter("id", .string(), "Work id.", required: true, in: .path),
                ],
                route: .endpoint(.get("/api/v1/platforms/{platform}/works/{id}")),
                price: perDetail
            ),
            ToolDefinition(
                name: "datanexus_generate_image",
                title: "Generate an image",
                summary: "文生图: an image (封面 cover, illustration) from a text prompt with GPT Image 2.",
                parameters: [
                    Parameter(
                        "prompt",
                        .string(),
                        "What to draw, in any language.",
                        required: true,
                        in: .body
                    ),
                    Parameter(
                        "size",
                        .string(.imageSize),
                        "auto, 1024x1024, 1536x1024, 1024x1536 or 2048x2048.",
                        default: "1024x1024",
                        in: .body
                    ),
                    Parameter(
                        "quality",
                        .choice(["low", "medium", "high", "auto"]),
                        "Image quality.",
                        default: "auto",
                        in: .body
                    ),
                    Parameter(
                        "response_format",
                        .choice(["url", "b64_json"]),
                        "url: a link; b64_json: the image itself.",
                        default: "url",
                        in: .body
                    ),
                ],
                route: .endpoint(.post("/api/v1/images/generations")),
                price: .perItem(.yuan(0.5), unit: "image", maximum: .fixed(1), counted: .array(at: ["data"])),
                effect: .createsPaidWork,
                presenter: presentImages,
                timeoutSeconds: 120
            ),
            ToolDefinition(
                name: "datanexus_list_platforms",
                title: "List platforms",
                summary: "Supported platforms, or one in detail.",
                parameters: [
                    Parameter(
                        "platform",
                        .choice(platforms),
                        "\"\" lists all.",
                        in: .path
                    )
                ],
                route: .endpoint(.get("/api/v1/platforms{/platform}")),
                price: .free("public endpoint"),
                authentication: .optional
            ),
            ToolDefinition(
                name: pricingTool,
                title: "Get a platform's price",
                summary: "The current unit price of a platform or of images.",
                parameters: [
                    Parameter(
                        "platform",
                        .choice(platforms + ["gpt-image-2"]),
                        "Platform, or gpt-image-2.",
                        required: true,
                        in: .path
                    )
                ],
                route: .endpoint(.get("/api/v1/billing/pricing/{platform}")),
                price: .free("public endpoint"),
                authentication: .optional
            ),
            ToolDefinition(
                name: "datanexus_get_catalog",
                title: "Get the API catalog",
                summary:
                    "The API catalog: live and reserved (data: null) endpoints.",
                route: .endpoint(.get("/api/v1/catalog")),
                price: .free("public endpoint"),
                authentication: .optional
            ),
        ]
    )

    /// `{success: true, data}` or `{success: false, error}`; 402 means the wallet is empty.
    static func decode(_ response: HTTPResponse, _ provider: Provider) throws(UpstreamError) -> UpstreamPayload {
        let body = try Envelope.json(response, provider: provider)
        if Envelope.isSuccess(response.status), body["success"] == .bool(true) {
            let data = body["data"] ?? .null
            var notes: [String] = []
            if data.isNull {
                notes.append(
                    "DataNexus returned data: null: this endpoint is not connected upstream yet (see datanexus_get_catalog); nothing was charged."
                )
            }
            return UpstreamPayload(data: data, notes: notes)
        }
        let message = Envelope.text(body["error"]) ?? Envelope.text(body["message"])
        throw Envelope.failure(response, provider, code: nil, message: message)
    }

    /// DataNexus documents statuses, not codes: 402 is an empty wallet.
    static let errorCodes: [String: ErrorMeaning] = [
        "402": ErrorMeaning(
            "Top up the DataNexus wallet at \(walletURL), then retry. Nothing was charged for this call."
        ),
        "401": ErrorMeaning(
            "Check DATANEXUS_API_KEY (keys start with dn_live_; create one in the wallet at \(walletURL))."
        ),
    ]

    /// Images come back as MCP image blocks (b64_json) or resource links (url), and the
    /// base64 is left out of the text and `structuredContent`.
    static func presentImages(_ data: JSONValue, _ arguments: [String: JSONValue]) -> Presentation {
        var presentation = Presentation()
        guard let images = data["data"]?.arrayValue else { return presentation }
        var shownImages: [JSONValue] = []
        for (position, image) in images.enumerated() {
            var shown = image.objectValue ?? [:]
            if let base64 = image["b64_json"]?.stringValue {
                let mimeType = ImageType.mimeType(ofBase64: base64) ?? "image/png"
                presentation.content.append(["type": "image", "data": .string(base64), "mimeType": .string(mimeType)])
                shown["b64_json"] = .string(
                    "(\(base64.utf8.count * 3 / 4) bytes of \(mimeType), returned as an image content block)"
                )
                presentation.lines.append("Image \(position + 1): returned inline as \(mimeType).")
            }
            if let url = image["url"]?.stringValue {
                presentation.content.append([
                    "type": "resource_link",
                    "uri": .string(url),
                    "name": .string("generated-image-\(position + 1)"),
                    "mimeType": .string(ImageType.mimeType(ofURL: url) ?? "image/png"),
                    "description": .string("GPT Image 2 result for the prompt"),
                ])
                presentation.lines.append("Image \(position + 1): \(url)")
            }
            if let revised = image["revised_prompt"]?.stringValue {
                presentation.lines.append("Revised prompt: \(revised)")
            }
            shownImages.append(.object(shown))
        }
        var shownData = data.objectValue ?? [:]
        shownData["data"] = .array(shownImages)
        presentation.data = .object(shownData)
        return presentation
    }
}

/// Image types recognised from their first bytes, so an image block says what it holds.
enum ImageType {
    static func mimeType(ofBase64 base64: String) -> String? {
        guard let bytes = Data(base64Encoded: String(base64.prefix(16))) else { return nil }
        return mimeType(of: [UInt8](bytes))
    }

    static func mimeType(of bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return "image/png" }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if bytes.starts(with: Array("GIF8".utf8)) { return "image/gif" }
        if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) {
            return "image/webp"
        }
        return nil
    }

    static func mimeType(ofURL url: String) -> String? {
        let path = url.split(separator: "?").first.map(String.init)?.lowercased() ?? ""
        if path.hasSuffix(".png") { return "image/png" }
        if path.hasSuffix(".jpg") || path.hasSuffix(".jpeg") { return "image/jpeg" }
        if path.hasSuffix(".webp") { return "image/webp" }
        if path.hasSuffix(".gif") { return "image/gif" }
        return nil
    }
}
