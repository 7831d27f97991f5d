import Catalog
import Wire

/// Reading response bodies, shared by every provider's envelope mapping.
public enum Envelope {
    /// Whether a status is a success.
    public static func isSuccess(_ status: Int) -> Bool { (200..<300).contains(status) }

    /// The body as JSON.
    ///
    /// A body that is not JSON is an error: "unexpected response" on a 2xx, and whatever
    /// the status means otherwise (an nginx 502 page is a server error).
    public static func json(_ response: HTTPResponse, provider: Provider) throws(UpstreamError) -> JSONValue {
        do {
            return try JSONParser.parse(response.body)
        } catch {
            let kind =
                isSuccess(response.status)
                ? UpstreamError.Kind.invalidResponse : UpstreamError.kind(forStatus: response.status)
            var error = UpstreamError(kind, provider: provider.name, status: response.status)
            // The server's observation, not the provider's words: a detail, with the
            // body's first bytes quoted inside it.
            error.detail = "The body is not JSON (\(describe(response)))"
            if let meaning = provider.errorCodes[String(response.status)] { error.advice = meaning.advice }
            throw error
        }
    }

    /// The error a failed call becomes, with the provider's documented meaning of `code`.
    ///
    /// `status` is the HTTP status, or the status-like code a provider puts in a 200
    /// envelope (TikOmni's `code: 401`). The meaning is looked up by the provider's code
    /// first, then by that status; a rate limit keeps the `Retry-After` the provider sent.
    public static func failure(
        _ response: HTTPResponse,
        _ provider: Provider,
        status: Int? = nil,
        code: String?,
        message: String?,
        requestID: String? = nil
    ) -> UpstreamError {
        let effectiveStatus = status ?? response.status
        var error = UpstreamError(
            isSuccess(effectiveStatus) ? .rejected : UpstreamError.kind(forStatus: effectiveStatus),
            provider: provider.name,
            status: response.status,
            code: code,
            message: message,
            requestID: requestID
        )
        if let meaning = code.flatMap({ provider.errorCodes[$0] }) ?? provider.errorCodes[String(effectiveStatus)] {
            if let kind = meaning.kind { error.kind = kind }
            error.advice = meaning.advice
        }
        if case .rateLimited = error.kind {
            let seconds = RetryPolicy.retryAfter(response.headers["retry-after"]).map { Int($0.components.seconds) }
            error.kind = .rateLimited(retryAfterSeconds: seconds)
        }
        return error
    }

    /// "text/html, 1.2 KB, starting "<html><head>…"" — enough to recognise a proxy page.
    public static func describe(_ response: HTTPResponse) -> String {
        let size = response.body.count
        let sizeText = size >= 1024 ? "\(size / 1024) KB" : "\(size) bytes"
        let start = UpstreamText.quoted(String(decoding: response.body.prefix(60), as: UTF8.self))
        let type = response.mediaType.map(UpstreamText.escaped) ?? "no content type"
        return size == 0 ? "\(type), empty" : "\(type), \(sizeText), starting \(start)"
    }

    /// A member as a string, whether the provider wrote it as a string or a number.
    public static func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text)?: return text.isEmpty ? nil : text
        case .int(let number)?: return String(number)
        case .double(let number)?: return String(number)
        default: return nil
        }
    }
}
