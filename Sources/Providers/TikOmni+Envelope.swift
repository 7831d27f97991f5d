import Catalog
import SeedFixtures
import Upstream
import Wire

/// TikOmni's envelope: `{code, message, request_id, data, …}` around Douyin's own reply, the
/// failure Douyin reports inside a 200, its error codes, and the same envelope around the
/// documented examples in sandbox mode.
extension TikOmni {
    /// Reads `{code, message, message_zh, request_id, data, params, …}`.
    ///
    /// A non-2xx status or an error code becomes an error quoting the message and request
    /// id. The echoed `params` hold the cookie and are dropped here, before anything else
    /// sees them.
    static func decode(_ response: HTTPResponse, _ provider: Provider) throws(UpstreamError) -> UpstreamPayload {
        if Envelope.isSuccess(response.status), let mediaType = response.mediaType, !mediaType.contains("json") {
            return UpstreamPayload(
                data: .null,
                file: DownloadedFile(
                    bytes: response.body,
                    mediaType: mediaType,
                    suggestedName: fileName(for: mediaType)
                )
            )
        }
        var body = try Envelope.json(response, provider: provider)
        if case .object(var members) = body {
            members.removeValue(forKey: "params")
            body = .object(members)
        }
        let requestID = Envelope.text(body["request_id"])
        let message =
            Envelope.text(body["message_zh"]) ?? Envelope.text(body["message"]) ?? Envelope.text(body["detail"])
        let code = body["code"]?.intValue
        let codeIsSuccess = code == nil || code == 0 || code == 200
        guard Envelope.isSuccess(response.status), codeIsSuccess else {
            // A 200 envelope carries the status in its code (401, 402).
            let status = Envelope.isSuccess(response.status) ? code : nil
            let codeText = code.map(String.init)
            throw Envelope.failure(
                response,
                provider,
                status: status,
                code: codeText,
                message: message,
                requestID: requestID
            )
        }
        let data = body["data"] ?? .null
        if let failure = douyinFailure(in: data) {
            throw UpstreamError(
                .rejected,
                provider: provider.name,
                status: response.status,
                code: failure.code,
                message: failure.message.map { "Douyin says: \($0)" },
                requestID: requestID,
                advice: douyinAdvice
            )
        }
        var details: [String: JSONValue] = [:]
        var notes: [String] = []
        if let requestID {
            details["request_id"] = .string(requestID)
            notes.append("TikOmni request id: \(requestID).")
        }
        if let cacheURL = Envelope.text(body["cache_url"]) {
            // The seed: the cached result stays readable for 24 hours at no extra charge.
            details["cache_url"] = .string(cacheURL)
            details["cache_valid_hours"] = 24
            notes.append("TikOmni cached this result: \(cacheURL) serves it again for 24 h at no extra charge.")
        }
        return UpstreamPayload(data: data, details: details, notes: notes)
    }

    static let douyinAdvice =
        "TikOmni still bills this call. The Douyin creator platform refused the request, usually because the cookie "
        + "expired: log in at creator.douyin.com, copy a fresh Cookie header, and pass it as 'cookie' or set "
        + "\(cookieVariable)."

    /// Douyin's own failure inside a 200 envelope: a non-zero `code` or `status_code`,
    /// at TikOmni's `data` or one level deeper (`data.data`), where Douyin's reply sits.
    static func douyinFailure(in data: JSONValue) -> (code: String, message: String?)? {
        for level in [data, data["data"] ?? .null] {
            for key in ["status_code", "code"] {
                guard let value = level[key]?.intValue, value != 0 else { continue }
                let message =
                    Envelope.text(level["status_msg"]) ?? Envelope.text(level["message"])
                    ?? Envelope.text(level["msg"]) ?? Envelope.text(level["description"])
                return ("douyin_\(key)_\(value)", message)
            }
        }
        return nil
    }

    /// TikOmni's envelope codes mirror HTTP statuses.
    static let errorCodes: [String: ErrorMeaning] = [
        "401": ErrorMeaning("Check TIKOMNI_API_KEY (sent as a Bearer token)."),
        "402": ErrorMeaning("Top up the TikOmni account, then retry."),
    ]

    static func fileName(for mediaType: String) -> String {
        if mediaType.contains("sheet") || mediaType.contains("excel") { return "douyin-works.xlsx" }
        if mediaType.contains("csv") { return "douyin-export.csv" }
        return "douyin-export.bin"
    }

    /// TikOmni's examples are Douyin's reply, which TikOmni serves inside its envelope
    /// (documented once, in `tikomni/envelope.response.json`).
    @Sendable static func wrapSample(path: String, reply: JSONValue) -> JSONValue? {
        guard let envelope = SeedFixtures.text("tikomni/envelope.response.json"),
            case .object(var members)? = try? JSONParser.parse(envelope)
        else { return nil }
        members["router"] = .string(path)
        // No cached copy exists of a sample.
        for key in ["cache_url", "cache_message", "cache_message_zh"] { members.removeValue(forKey: key) }
        members["data"] = reply
        return .object(members)
    }
}
