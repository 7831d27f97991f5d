import Wire

/// What a provider's envelope held, once read.
public struct UpstreamPayload: Sendable {
    /// The data the caller asked for.
    public var data: JSONValue
    /// What the provider says this call cost and what is left.
    public var billing: ProviderBilling
    /// Provider metadata the agent should see (request id, paging), as JSON.
    public var details: [String: JSONValue]
    /// The same metadata as sentences for the text block.
    public var notes: [String]
    /// Content blocks beyond the text (an image, a file link).
    public var content: [JSONValue]
    /// A file the provider sent instead of JSON (an Excel export), saved by the runner.
    public var file: DownloadedFile?

    /// Creates a payload.
    public init(
        data: JSONValue,
        billing: ProviderBilling = ProviderBilling(),
        details: [String: JSONValue] = [:],
        notes: [String] = [],
        content: [JSONValue] = [],
        file: DownloadedFile? = nil
    ) {
        self.data = data
        self.billing = billing
        self.details = details
        self.notes = notes
        self.content = content
        self.file = file
    }
}

/// A file body from a provider, before it is saved.
public struct DownloadedFile: Sendable {
    /// The bytes.
    public let bytes: [UInt8]
    /// The media type the provider declared.
    public let mediaType: String
    /// A file name to save it under.
    public let suggestedName: String

    /// Creates a file.
    public init(bytes: [UInt8], mediaType: String, suggestedName: String) {
        self.bytes = bytes
        self.mediaType = mediaType
        self.suggestedName = suggestedName
    }
}

/// Money the provider reports in its response.
public struct ProviderBilling: Sendable, Equatable {
    /// What this call was charged.
    public var charged: Money?
    /// What is left in the account.
    public var balance: Money?

    /// Creates a billing report.
    public init(charged: Money? = nil, balance: Money? = nil) {
        self.charged = charged
        self.balance = balance
    }
}
