/// Reading the server's table out of a Codex config without changing it.
extension TOMLConfigEditor {
    /// What a `[container.name]` table says.
    public struct Entry: Sendable, Equatable {
        /// `command`.
        public var command: String?
        /// `args`.
        public var arguments: [String] = []
        /// `env`, inline or as a subtable.
        public var environment: [String: String] = [:]
        /// `env_vars`: variables Codex forwards from its own environment.
        public var forwarded: [String] = []
    }

    /// The table `[container.name]`, or `nil` when the file has none.
    public func entry(named name: String, under container: String, in text: String) throws(Malformed) -> Entry? {
        var scanner = Scanner(bytes: Array(text.utf8))
        try scanner.document()
        let ours = [container, name]
        let keys = scanner.keyPaths.filter { $0.path.starts(with: ours) && $0.path.count > ours.count }
        guard scanner.headers.contains(where: { $0.path == ours }) || !keys.isEmpty else { return nil }
        var entry = Entry()
        for key in keys {
            let depth = key.path.count - ours.count
            switch key.path[ours.count] {
            case "command" where depth == 1: entry.command = key.strings.first
            case "args" where depth == 1: entry.arguments = key.strings
            case "env" where depth == 2 && key.strings.count == 1:
                entry.environment[key.path[ours.count + 1]] = key.strings[0]
            case "env_vars" where depth == 1: entry.forwarded = key.strings
            default: continue
            }
        }
        return entry
    }
}
