import Wire

/// Everything that can go wrong between the server and a provider, in one type, so every
/// provider's failures reach the model in the same words.
public struct UpstreamError: Error, Sendable, Equatable {
    /// The kind of failure, which decides the default advice.
    public enum Kind: Sendable, Equatable {
        /// A variable the call needs is not set (key, base URL, user identity).
        case missingConfiguration(variable: String)
        /// 401: the credential was refused.
        case unauthorized
        /// 402: the account has no money left.
        case insufficientBalance
        /// 403: the credential may not see this.
        case forbidden
        /// 404: no such thing.
        case notFound
        /// 429: too many requests, even after retrying.
        case rateLimited(retryAfterSeconds: Int?)
        /// 5xx, even after retrying where that was safe.
        case serverError
        /// Another 4xx or a business error code in a 200 response.
        case rejected
        /// The body is not the JSON the provider documents.
        case invalidResponse
        /// No connection could be made, or it broke.
        case connectionFailed(String)
        /// No answer within the time budget.
        case timedOut(seconds: Int)
        /// The client cancelled the call.
        case cancelled
        /// A 3xx: the provider (or something in its place) sent the request elsewhere,
        /// to `location`'s host; the redirect was not followed, so the key went nowhere else.
        case redirected(location: String?)
        /// The answer's body passed the cap (`SOCIAL_DATA_MCP_MAX_RESPONSE_MB`) and was cut off.
        case responseTooLarge(limitBytes: Int)
        /// The base URL in `variable` is not https (and not this machine): nothing was sent.
        case insecureBaseURL(variable: String)
    }

    /// What a failed call may still have cost, when the provider may have done the work.
    public enum PossibleCharge: Sendable, Equatable {
        /// A paid read that may have been answered, and charged, on the provider's side.
        case read
        /// Work (an image, a collection task) that may have been created and charged.
        case createdWork

    }

    /// The longest `Retry-After` the server honours, in seconds: a provider asking for
    /// longer is told so in the error, and its later calls are held no longer than this.
    public static let longestHonouredWaitSeconds = 60

    /// The kind.
    public var kind: Kind
    /// The provider's display name ("DataNexus").
    public var provider: String
    /// The HTTP status, when there was a response.
    public var status: Int?
    /// The provider's machine-readable code (`brand_not_found`, `INSUFFICIENT_BALANCE`).
    public var code: String?
    /// The provider's own message, quoted to the user.
    public var providerMessage: String?
    /// What the server saw that the provider did not say in words ("the body is not
    /// JSON (…)"): the server's own sentence, with any provider bytes in it quoted already.
    public var detail: String?
    /// The provider's request id, for support tickets.
    public var requestID: String?
    /// What the user should do; replaces the kind's default advice.
    public var advice: String?
    /// How many attempts were made.
    public var attempts = 1
    /// Set when the provider may have charged although the call failed (a 502, a
    /// timeout): the message then says so instead of inviting a retry.
    public var possibleCharge: PossibleCharge?

    /// Creates an error.
    public init(
        _ kind: Kind,
        provider: String,
        status: Int? = nil,
        code: String? = nil,
        message: String? = nil,
        requestID: String? = nil,
        advice: String? = nil
    ) {
        self.kind = kind
        self.provider = provider
        self.status = status
        self.code = code
        self.providerMessage = message
        self.requestID = requestID
        self.advice = advice
    }

    /// The kind an HTTP status means when the body does not say more.
    public static func kind(forStatus status: Int) -> Kind {
        switch status {
        case 401: return .unauthorized
        case 402: return .insufficientBalance
        case 403: return .forbidden
        case 404: return .notFound
        case 429: return .rateLimited(retryAfterSeconds: nil)
        case 500...599: return .serverError
        default: return .rejected
        }
    }

    /// The message for the model and the user: what happened, what the provider said,
    /// and what to do.
    public var message: String {
        var parts = ["\(provider): \(headline)."]
        // Everything the provider wrote is quoted and escaped (`UpstreamText`), so no
        // newline of its own can start a line that reads as the server's.
        if let providerMessage, !providerMessage.isEmpty {
            var quote = "\(provider) said: \(UpstreamText.quoted(providerMessage))"
            if let code { quote += " [\(UpstreamText.escaped(code))]" }
            parts.append(quote + ".")
        } else if let code {
            parts.append("\(provider) code: \(UpstreamText.escaped(code)).")
        }
        if let detail { parts.append(detail + ".") }
        if let requestID { parts.append("Request id: \(UpstreamText.escaped(requestID)).") }
        if case .rateLimited(let seconds?) = kind, seconds > UpstreamError.longestHonouredWaitSeconds {
            parts.append(
                "\(provider) asked for a wait of \(seconds) s (Retry-After), longer than the \(UpstreamError.longestHonouredWaitSeconds) s the server honours: later calls to \(provider) are held for at most \(UpstreamError.longestHonouredWaitSeconds) s."
            )
        }
        switch possibleCharge {
        case nil:
            parts.append(advice ?? defaultAdvice)
        case .read:
            parts.append(advice ?? adviceWithoutRetry)
            parts.append(
                "It may have been charged all the same, so it was not sent again: check `social-data-mcp usage` and your \(provider) balance before calling again."
            )
        case .createdWork:
            // No "try again": a second request could create, and charge for, the work twice.
            parts.append(
                "\(provider) may have done the work all the same (generated the image, created the task) and charged for it, so it was not sent again: check `social-data-mcp usage` and your \(provider) balance instead of calling again."
            )
        }
        return parts.joined(separator: " ")
    }

    private var statusSuffix: String { status.map { " (HTTP \($0))" } ?? "" }

    /// The failure in a few words, without the provider's name or what to do next.
    package var headline: String {
        switch kind {
        case .missingConfiguration(let variable): return "\(variable) is not set"
        case .unauthorized: return "the API key was refused\(statusSuffix)"
        case .insufficientBalance: return "insufficient balance\(statusSuffix)"
        case .forbidden: return "access denied\(statusSuffix)"
        case .notFound: return "not found\(statusSuffix)"
        case .rateLimited: return "rate limited\(statusSuffix) after \(attempts) attempt\(attempts == 1 ? "" : "s")"
        case .serverError: return "server error\(statusSuffix) after \(attempts) attempt\(attempts == 1 ? "" : "s")"
        case .rejected: return "request rejected\(statusSuffix)"
        case .invalidResponse: return "unexpected response\(statusSuffix)"
        case .connectionFailed(let reason): return "connection failed (\(reason))"
        case .timedOut(let seconds): return "no answer within \(seconds) s"
        case .cancelled: return "cancelled by the client"
        case .redirected(let location):
            let target = location.map { "to \(UpstreamText.quoted($0))" } ?? "without a Location"
            return "redirected\(statusSuffix) \(target); the redirect was not followed"
        case .insecureBaseURL(let variable): return "\(variable) is not an https URL"
        case .responseTooLarge(let limit):
            return
                "the answer was larger than \(limit >> 20 > 0 ? "\(limit >> 20) MiB" : "\(limit) bytes") and was cut off"
        }
    }

    /// The default advice minus any invitation to try again, for a call that may have
    /// been charged.
    private var adviceWithoutRetry: String {
        switch kind {
        case .timedOut: return "If the provider is just slow, raise SOCIAL_DATA_MCP_TIMEOUT."
        case .serverError: return "The provider is failing."
        default: return defaultAdvice
        }
    }

    private var defaultAdvice: String {
        switch kind {
        case .missingConfiguration(let variable):
            return
                "Set \(variable) in the server's environment (the `env` block of your MCP client config) and restart it."
        case .unauthorized:
            return "Check that the API key is current and complete, then retry."
        case .insufficientBalance:
            return "Top up the \(provider) account, then retry. Nothing was charged for this call."
        case .forbidden:
            return "The key may not access this resource."
        case .notFound:
            return "Check the id and platform; list tools can find valid ids."
        case .rateLimited(let retryAfter?):
            return "Wait \(retryAfter) s before the next call."
        case .rateLimited(nil):
            return "Wait a little before the next call."
        case .serverError:
            return "The provider is failing; try again later."
        case .rejected:
            return "Check the arguments against the tool description."
        case .invalidResponse:
            return
                "The provider may be down or the base URL may point elsewhere; check it with `social-data-mcp doctor`."
        case .connectionFailed:
            return "Check the network and the base URL (`social-data-mcp doctor`)."
        case .timedOut:
            return "Try again, or raise SOCIAL_DATA_MCP_TIMEOUT."
        case .cancelled:
            return "Nothing more will be sent for this call."
        case .redirected:
            return
                "Nothing was sent to the other host, and the key went only to the configured base URL. Check the \(provider) base URL (`social-data-mcp doctor`): the provider may have moved, or something between is answering in its place."
        case .insecureBaseURL(let variable):
            return "Set \(variable) to an https URL."
        case .responseTooLarge:
            return
                "Ask for less (a smaller page size), or raise SOCIAL_DATA_MCP_MAX_RESPONSE_MB if such answers are expected."
        }
    }
}

extension UpstreamError {
    /// The error as data for `structuredContent.error`.
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "kind": .string(kindName),
            "provider": .string(provider),
            "message": .string(message),
            "attempts": .int(attempts),
        ]
        if let status { object["http_status"] = .int(status) }
        if let code { object["code"] = .string(code) }
        if let requestID { object["request_id"] = .string(requestID) }
        if case .missingConfiguration(let variable) = kind { object["variable"] = .string(variable) }
        if case .insecureBaseURL(let variable) = kind { object["variable"] = .string(variable) }
        if case .rateLimited(let seconds?) = kind { object["retry_after_seconds"] = .int(seconds) }
        if case .redirected(let location?) = kind { object["location_host"] = .string(location) }
        if case .responseTooLarge(let limit) = kind { object["limit_bytes"] = .int(limit) }
        if possibleCharge != nil { object["may_have_been_charged"] = true }
        return .object(object)
    }

    private var kindName: String {
        switch kind {
        case .missingConfiguration: return "missing_configuration"
        case .unauthorized: return "unauthorized"
        case .insufficientBalance: return "insufficient_balance"
        case .forbidden: return "forbidden"
        case .notFound: return "not_found"
        case .rateLimited: return "rate_limited"
        case .serverError: return "server_error"
        case .rejected: return "rejected"
        case .invalidResponse: return "invalid_response"
        case .connectionFailed: return "connection_failed"
        case .timedOut: return "timed_out"
        case .cancelled: return "cancelled"
        case .redirected: return "redirected"
        case .responseTooLarge: return "response_too_large"
        case .insecureBaseURL: return "insecure_base_url"
        }
    }
}
