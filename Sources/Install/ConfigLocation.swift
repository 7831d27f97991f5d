import Wire

/// Where a config file lives, relative to a folder that differs by user, system and project.
public enum ConfigLocation: Sendable, Equatable {
    /// Under the home folder on every system (`~/.cursor/mcp.json`).
    case home(String)
    /// Under the folder desktop applications keep settings in: `~/Library/Application Support`
    /// on macOS, `~/.config` on Linux, `%APPDATA%` on Windows.
    case applicationSettings(String)
    /// Under the project (the current directory).
    case project(String)
    /// No file: the place in the client's own window where the entry is pasted.
    case window(String)

    /// The absolute path.
    public func path(home: String, projectDirectory: String) -> String {
        switch self {
        case .home(let relative): return home + "/" + relative
        case .applicationSettings(let relative):
            return Platform.applicationSettingsDirectory(home: home) + "/" + relative
        case .project(let relative): return projectDirectory + "/" + relative
        case .window(let place): return place
        }
    }
}
