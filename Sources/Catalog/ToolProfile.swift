/// Which tools `tools/list` shows: every exposed tool, or the handful that find and call them.
///
/// Some clients cap a session's tools (Trae: 40) or pay for every listed byte in every
/// conversation; the catalog profile lists four tools (find, call, usage, read a saved
/// result) and reaches every other tool by name through the same pipeline.
public enum ToolProfile: String, Sendable, CaseIterable {
    /// Every exposed tool is listed (the default).
    case all
    /// Only the catalog tools are listed; the others are found and called through them.
    case catalog

    /// `SOCIAL_DATA_MCP_PROFILE` (and `--profile`).
    public static let key = ConfigKey(
        "SOCIAL_DATA_MCP_PROFILE",
        "`catalog`: list 4 tools that find and call every tool (for clients with a tool cap); default `all`"
    )

    /// The profile `environment` asks for; an unknown value is an error, not a silent default.
    public static func from(_ value: String?) throws(ConfigurationError) -> ToolProfile {
        guard let value, !value.isEmpty else { return .all }
        guard let profile = ToolProfile(rawValue: value.lowercased()) else {
            throw ConfigurationError(message: "\(key.variable)=\(value): use all or catalog.")
        }
        return profile
    }
}
