extension StringProtocol {
    /// The text without leading and trailing whitespace and newlines.
    ///
    /// Plain Swift on purpose: Foundation's `trimmingCharacters(in:)` bridges through
    /// NSString, which on the start-up path (every setting is read) showed up as a large
    /// share of the instructions before the first response.
    public var trimmed: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace })
        else {
            return ""
        }
        return String(self[first...last])
    }
}
