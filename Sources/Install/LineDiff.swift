/// A unified diff of one contiguous change (all an install makes), with context.
enum LineDiff {
    static func unified(old: String, new: String, path: String, context: Int = 3) -> String {
        func lines(_ text: String) -> [String] {
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.last == "" { lines.removeLast() }
            return lines
        }
        let before = lines(old)
        let after = lines(new)
        var prefix = 0
        while prefix < before.count, prefix < after.count, before[prefix] == after[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < before.count - prefix, suffix < after.count - prefix,
            before[before.count - 1 - suffix] == after[after.count - 1 - suffix]
        {
            suffix += 1
        }
        let start = max(0, prefix - context)
        let oldEnd = min(before.count, before.count - suffix + context)
        let newEnd = min(after.count, after.count - suffix + context)
        var output = ["--- \(old.isEmpty ? "/dev/null" : path)", "+++ \(path)"]
        let oldStart = oldEnd > start ? start + 1 : start
        output.append("@@ -\(oldStart),\(oldEnd - start) +\(start + 1),\(newEnd - start) @@")
        for line in before[start..<prefix] { output.append(" " + line) }
        for line in before[prefix..<(before.count - suffix)] { output.append("-" + line) }
        for line in after[prefix..<(after.count - suffix)] { output.append("+" + line) }
        for line in after[(after.count - suffix)..<newEnd] { output.append(" " + line) }
        return output.joined(separator: "\n") + "\n"
    }
}
