import Wire

/// The result of `tools/call`: content blocks for the model, structured data, error flag.
public struct ToolResult: Sendable {
    /// Text, image and link blocks.
    public var content: [JSONValue]
    /// `structuredContent`: always an object (2025-11-25 requires one).
    public var structured: [String: JSONValue]
    /// Whether the call failed.
    public var isError: Bool
    /// A 2026-07-28 `input_required` answer (its `inputRequests` and `requestState`), sent
    /// instead of a `CallToolResult` when set.
    public var inputRequired: [String: JSONValue]?

    /// Creates a result.
    public init(content: [JSONValue], structured: [String: JSONValue], isError: Bool) {
        self.content = content
        self.structured = structured
        self.isError = isError
    }

    /// An error result whose text is `message`.
    public static func error(_ message: String, structured: [String: JSONValue]) -> ToolResult {
        ToolResult(content: [text(message)], structured: structured, isError: true)
    }

    /// A text content block.
    public static func text(_ text: String) -> JSONValue { ["type": "text", "text": .string(text)] }

    /// The `CallToolResult` object.
    public var json: JSONValue {
        if let inputRequired {
            return .object(inputRequired.merging(["resultType": "input_required"]) { _, type in type })
        }
        return ["content": .array(content), "structuredContent": .object(structured), "isError": .bool(isError)]
    }

    /// The text of the first text block.
    public var text: String { content.first?["text"]?.stringValue ?? "" }
}
