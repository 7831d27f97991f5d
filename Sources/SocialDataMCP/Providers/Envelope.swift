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
            throw UpstreamError(
                kind,
                provider: provider.name,
                status: response.status,
                message: "the body is not JSON (\(describe(response)))"
            )
        }
    }

    /// "text/html, 1.2 KB, starting "<html><head>…"" — enough to recognise a proxy page.
    public static func describe(_ response: HTTPResponse) -> String {
        let size = response.body.count
        let sizeText = size >= 1024 ? "\(size / 1024) KB" : "\(size) bytes"
        let start = String(decoding: response.body.prefix(60), as: UTF8.self)
            .replacingNewlines()
        let type = response.mediaType ?? "no content type"
        return size == 0 ? "\(type), empty" : "\(type), \(sizeText), starting \"\(start)\""
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

extension String {
    fileprivate func replacingNewlines() -> String {
        String(map { $0.isNewline ? " " : $0 })
    }
}
