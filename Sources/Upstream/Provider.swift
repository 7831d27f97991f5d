import Catalog
import Wire

/// An upstream provider as the upstream client sees it: how to reach and authenticate
/// with it, how to read its envelope, how fast it may be called.
///
/// Its rows of the tool table are a `Toolset` (Catalog); each provider file in
/// `Providers` builds both.
public struct Provider: Sendable {
    /// The toolset name (`datanexus`), also the tool-name prefix.
    public let id: String
    /// The display name (`DataNexus`).
    public let name: String
    /// The API key and how it is sent; `nil` for the server's own tools.
    public let credential: Credential?
    /// Further headers taken from the environment (`X-User-Identity`, `X-Active-Workspace`).
    public let environmentHeaders: [EnvironmentHeader]
    /// The base URL variable and default (`nil` for the server's own tools).
    public let baseURL: BaseURL?
    /// Other variables the provider's tools read (the Douyin cookie).
    public let otherKeys: [ConfigKey]
    /// Reads a response envelope into data or an error.
    public let decode: @Sendable (HTTPResponse, Provider) throws(UpstreamError) -> UpstreamPayload
    /// The documented error codes (or HTTP statuses, as "402") and what they mean.
    public let errorCodes: [String: ErrorMeaning]
    /// The minimum time between two requests (GEO allows one per second per key).
    public let requestSpacing: Duration?
    /// Whether the data changes only daily, so cached reads may live longer.
    public let isDailyData: Bool
    /// Per-call time budget in seconds when `SOCIAL_DATA_MCP_TIMEOUT` is unset.
    public let defaultTimeoutSeconds: Int
    /// A free request `doctor` makes to check reachability.
    public let probe: Probe?
    /// Wraps a documented route example in the provider's envelope, for sandbox mode,
    /// when the seed documents the two apart (TikOmni serves Douyin's reply inside its own).
    public let wrapSample: (@Sendable (_ path: String, _ reply: JSONValue) -> JSONValue?)?

    /// Creates a provider.
    public init(
        id: String,
        name: String,
        credential: Credential?,
        environmentHeaders: [EnvironmentHeader] = [],
        baseURL: BaseURL?,
        otherKeys: [ConfigKey] = [],
        decode: @escaping @Sendable (HTTPResponse, Provider) throws(UpstreamError) -> UpstreamPayload,
        errorCodes: [String: ErrorMeaning] = [:],
        requestSpacing: Duration? = nil,
        isDailyData: Bool = false,
        defaultTimeoutSeconds: Int = 30,
        probe: Probe? = nil,
        wrapSample: (@Sendable (_ path: String, _ reply: JSONValue) -> JSONValue?)? = nil
    ) {
        self.id = id
        self.name = name
        self.credential = credential
        self.environmentHeaders = environmentHeaders
        self.baseURL = baseURL
        self.otherKeys = otherKeys
        self.decode = decode
        self.errorCodes = errorCodes
        self.requestSpacing = requestSpacing
        self.isDailyData = isDailyData
        self.defaultTimeoutSeconds = defaultTimeoutSeconds
        self.probe = probe
        self.wrapSample = wrapSample
    }

    /// Every setting this provider reads, for `--help`, the README and `doctor`.
    public var configKeys: [ConfigKey] {
        var keys: [ConfigKey] = []
        if let credential { keys.append(ConfigKey(credential.variable, "\(name) API key", secret: true)) }
        for header in environmentHeaders {
            keys.append(ConfigKey(header.variable, header.meaning, secret: header.isSecret))
        }
        if let baseURL {
            let meaning =
                baseURL.defaultURL.map { "\(name) base URL (default \($0))" }
                ?? "\(name) base URL (required: no public host is documented)"
            keys.append(ConfigKey(baseURL.variable, meaning))
        }
        return keys + otherKeys
    }

    /// The base URL from the environment or the default, without a trailing slash.
    public func resolvedBaseURL(_ environment: Environment) -> String? {
        guard let baseURL, var url = environment[baseURL.variable] ?? baseURL.defaultURL else { return nil }
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}

/// An API key read from the environment and the header that carries it.
public struct Credential: Sendable {
    /// The environment variable.
    public let variable: String
    /// The header name.
    public let header: String
    /// Text before the key in the header value (`Bearer `).
    public let prefix: String

    /// Creates a credential.
    public init(_ variable: String, header: String, prefix: String = "") {
        self.variable = variable
        self.header = header
        self.prefix = prefix
    }
}

/// A header whose value comes from the environment.
public struct EnvironmentHeader: Sendable {
    /// The environment variable.
    public let variable: String
    /// The header name.
    public let header: String
    /// Whether an authenticated call fails without it.
    public let isRequired: Bool
    /// What it is, for docs.
    public let meaning: String
    /// Whether the value is sensitive.
    public let isSecret: Bool

    /// Creates a header rule.
    public init(_ variable: String, header: String, required: Bool, meaning: String, secret: Bool = false) {
        self.variable = variable
        self.header = header
        self.isRequired = required
        self.meaning = meaning
        self.isSecret = secret
    }
}

/// Where the base URL comes from.
public struct BaseURL: Sendable {
    /// The override variable (`DATANEXUS_BASE_URL`).
    public let variable: String
    /// The documented default, or `nil` when the provider documents none.
    public let defaultURL: String?

    /// Creates a base URL rule.
    public init(_ variable: String, default defaultURL: String?) {
        self.variable = variable
        self.defaultURL = defaultURL
    }
}

/// A free request that shows whether a provider is reachable.
public struct Probe: Sendable {
    /// The endpoint.
    public let endpoint: Endpoint
    /// The JSON body for a POST probe.
    public let body: JSONValue?
    /// Whether the probe needs the credential.
    public let isAuthenticated: Bool

    /// Creates a probe.
    public init(_ endpoint: Endpoint, body: JSONValue? = nil, authenticated: Bool) {
        self.endpoint = endpoint
        self.body = body
        self.isAuthenticated = authenticated
    }
}
