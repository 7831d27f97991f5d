import Wire

/// How a row is carried out.
public enum Execution: Sendable {
    /// One upstream request for the route (almost every tool).
    case request
    /// A flow of its own that uses `ToolInvocation.fetch` (task polling).
    case custom(@Sendable (ToolInvocation) async throws(UpstreamError) -> UpstreamPayload)
    /// Answered by the server itself with no upstream request (the usage report): the
    /// call pipeline's local-answer stage holds the answer for each such row.
    case local
}

/// Extra reading of a response: sentences for the text block, members for
/// `structuredContent` and content blocks (images, links).
public struct Presentation: Sendable {
    /// Sentences, one per line.
    public var lines: [String]
    /// Extra `structuredContent` members (`summary`, `reading`).
    public var structured: [String: JSONValue]
    /// Extra content blocks.
    public var content: [JSONValue]
    /// A replacement for `data` in the text and `structuredContent` (a base64 image is
    /// sent as an image block, not as a megabyte of text).
    public var data: JSONValue?

    /// Creates a presentation.
    public init(
        lines: [String] = [],
        structured: [String: JSONValue] = [:],
        content: [JSONValue] = [],
        data: JSONValue? = nil
    ) {
        self.lines = lines
        self.structured = structured
        self.content = content
        self.data = data
    }
}

/// Reads a successful response's data (with the call's arguments) into a presentation.
public typealias Presenter = @Sendable (_ data: JSONValue, _ arguments: [String: JSONValue]) -> Presentation
