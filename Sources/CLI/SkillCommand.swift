import Export
import Foundation

/// `social-data-mcp skill [--install [--dir DIR]]`: the agent skill.
enum SkillCommand {
    static func run(_ invocation: Invocation) throws(CommandError) -> Int32 {
        guard invocation.flag("--install") else {
            guard invocation.option("--dir") == nil else { throw CommandError("--dir goes with --install") }
            CLI.writeOut(SkillDocument.markdown())
            return 0
        }
        var roots: [String]
        if let directory = invocation.option("--dir") {
            roots = [directory]
        } else {
            guard let home = invocation.environment["HOME"] else {
                throw CommandError("HOME is not set; pass --dir DIR")
            }
            // Claude Code reads ~/.claude/skills; Codex and Cursor read ~/.agents/skills.
            roots = [home + "/.claude/skills", home + "/.agents/skills"]
        }
        let files = [("SKILL.md", SkillDocument.markdown()), ("agents/openai.yaml", SkillDocument.openAIYAML)]
        for root in roots {
            let folder = URL(fileURLWithPath: root).appendingPathComponent(SkillDocument.name, isDirectory: true)
            var changed = false
            for (name, text) in files {
                let url = folder.appendingPathComponent(name)
                if FileManager.default.contents(atPath: url.path) == Data(text.utf8) { continue }
                do {
                    try FileManager.default.createDirectory(
                        at: url.deletingLastPathComponent(),
                        withIntermediateDirectories: true
                    )
                    try Data(text.utf8).write(to: url, options: .atomic)
                } catch {
                    throw CommandError("could not write \(url.path): \(CommandError.sentence(for: error))")
                }
                changed = true
            }
            CLI.writeOut(
                changed ? "Installed the skill in \(folder.path)\n" : "The skill in \(folder.path) is up to date\n"
            )
        }
        return 0
    }
}
