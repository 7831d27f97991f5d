import Wire

/// Form-mode elicitation as this server uses it: whether a client declared it, and the
/// bounded wait for an answer in the 2025-11-25 era.
public enum Elicitation {
    /// The method the server sends (2025-11-25) or names in `inputRequests` (2026-07-28).
    public static let method = "elicitation/create"

    /// How long a `tools/call` waits for the user; no answer by then is "not approved".
    public static let timeout = Duration.seconds(60)

    /// Whether `capabilities` declare form-mode elicitation: `elicitation: {}` means form
    /// (for backward compatibility), or `elicitation.form` is present.
    public static func supportsForm(_ capabilities: JSONValue?) -> Bool {
        guard let elicitation = capabilities?["elicitation"]?.objectValue else { return false }
        return elicitation["form"] != nil || (elicitation["url"] == nil)
    }
}
