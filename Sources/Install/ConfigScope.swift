/// Where an entry goes: the user's config or the current project's.
public enum ConfigScope: String, Sendable, Hashable, CaseIterable {
    /// The user-wide config.
    case user
    /// The config in the current directory, meant to be committed and shared.
    case project
}
