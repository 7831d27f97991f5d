/// How a client's config file is written.
public enum ConfigFormat: Sendable, Equatable {
    /// Plain JSON.
    case json
    /// JSON with `//` and `/* */` comments and trailing commas (VS Code's JSONC).
    case jsonc
    /// TOML (Codex).
    case toml
    /// No file this program may edit: the client is configured in its own window, so
    /// `install --print` shows the JSON to paste there (Cherry Studio).
    case pasted

    /// Whether the file is JSON of either kind.
    public var isJSON: Bool { self != .toml }
}
