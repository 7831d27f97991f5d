import Catalog

/// Ranks tools by the words a user types, Chinese or English, for `social_data_find_tools`.
///
/// A word found in a tool's name or title counts most, then in its description, toolset or
/// parameters (platform values included). Chinese is written without spaces, so a Chinese
/// word that is not found whole counts by its two-character pieces (小红书博主: 小红, 红书,
/// 书博, 博主). A few names users type for a platform stand for its value.
enum CatalogSearch {
    /// Names users type for a platform, and the value the tools use.
    static let aliases = [
        "xhs": "xiaohongshu", "rednote": "xiaohongshu", "小红书": "xiaohongshu", "红书": "xiaohongshu",
        "抖音": "douyin", "tiktok": "douyin", "视频号": "channels", "快手": "kuaishou", "kol": "author",
        "博主": "author", "达人": "author", "笔记": "work", "作品": "work", "视频": "work",
    ]

    /// The entries matching `query`, best first (table order between equals); none for an
    /// empty query.
    static func rank(_ entries: [ToolCatalog.Entry], query: String) -> [ToolCatalog.Entry] {
        let words = self.words(query)
        guard !words.isEmpty else { return [] }
        let scored = entries.enumerated().compactMap { position, entry -> (Int, Int, ToolCatalog.Entry)? in
            let score = self.score(entry, words)
            return score > 0 ? (score, position, entry) : nil
        }
        return scored.sorted { ($0.0, -$0.1) > ($1.0, -$1.1) }.map(\.2)
    }

    /// The query's words, lower-cased, with each alias's value added.
    static func words(_ query: String) -> [String] {
        let separators = Set(" \t\n,，、;；/|+()（）:：。.?？!！\"'")
        var words = query.lowercased().split { separators.contains($0) }.map(String.init)
        for word in words {
            for (alias, value) in aliases where word.contains(alias) && !words.contains(value) { words.append(value) }
        }
        return words
    }

    private static func score(_ entry: ToolCatalog.Entry, _ words: [String]) -> Int {
        let tool = entry.tool
        let title = (tool.name + " " + tool.title).lowercased()
        var body = [tool.description, entry.toolset.name, entry.toolset.id].joined(separator: " ")
        for parameter in tool.declaredParameters {
            body += " " + parameter.name + " " + SchemaText.describe(parameter)
            if case .choice(let values) = parameter.kind { body += " " + values.joined(separator: " ") }
        }
        body = body.lowercased()
        var score = 0
        for word in words {
            if title.contains(word) {
                score += 5
            } else if body.contains(word) {
                score += 2
            } else if word.unicodeScalars.contains(where: isCJK) {
                let characters = Array(word)
                for index in characters.indices.dropLast() {
                    let piece = String(characters[index...index + 1])
                    score += title.contains(piece) ? 2 : body.contains(piece) ? 1 : 0
                }
            }
        }
        return score
    }

    private static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        (0x3400...0x9FFF).contains(scalar.value) || (0xF900...0xFAFF).contains(scalar.value)
    }
}
