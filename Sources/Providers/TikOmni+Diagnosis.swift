import Catalog
import Foundation
import Wire

/// The reading of `tikomni_douyin_author_diagnosis`, per the seed's own guidance: each
/// metric's value, its rank against the account's history (AuthorRank) and against
/// similar creators (SimilarRank), and "work on the metrics where both are below 0.5".
enum TikOmniDiagnosis {
    struct Metric {
        let key: String
        let label: String
        let isRatio: Bool
        let tip: String?
    }

    static let metrics = [
        Metric(key: "Interact", label: "engagement index (互动指数)", isRatio: false, tip: nil),
        Metric(key: "NewFans", label: "net new followers (粉丝净增量)", isRatio: false, tip: nil),
        Metric(key: "PlayCnt", label: "video views (视频播放量)", isRatio: false, tip: nil),
        Metric(
            key: "PlayFinishRatio",
            label: "completion rate (视频完播率)",
            isRatio: true,
            tip: "the first 3 seconds decide it: study the hooks, camera work and music of popular works in your niche"
        ),
        Metric(key: "PublishActivation", label: "posts published (投稿活跃度)", isRatio: false, tip: nil),
    ]

    static func present(_ data: JSONValue, _ arguments: [String: JSONValue]) -> Presentation {
        var lines = [
            "Last 7 days, ranks as the share of the account's own history (AuthorRank) and of similar creators (SimilarRank) it beats:"
        ]
        var readings: [JSONValue] = []
        var needsWork: [String] = []
        // TikOmni's `data` holds Douyin's own reply (`{"code": 0, "data": {"Interact": …}}`),
        // so the five dimensions sit at `data.data`; a flattened reply has them at `data`.
        let hasDimensions = { (value: JSONValue) in metrics.contains { value[$0.key]?.objectValue != nil } }
        let data = hasDimensions(data) ? data : data["data"] ?? data
        for metric in metrics {
            guard let values = data[metric.key]?.objectValue else { continue }
            let own = values["OwnValue"]?.doubleValue
            let authorRank = values["AuthorRank"]?.doubleValue
            let similarRank = values["SimilarRank"]?.doubleValue
            let similarValue = values["SimilarValue"]?.doubleValue
            let flagged = (authorRank ?? 1) < 0.5 && (similarRank ?? 1) < 0.5 && authorRank != nil && similarRank != nil
            if flagged { needsWork.append(metric.key) }
            var line = "- \(metric.key), \(metric.label): \(own.map { format($0, ratio: metric.isRatio) } ?? "n/a")"
            if let similarValue { line += " (similar creators average \(format(similarValue, ratio: metric.isRatio)))" }
            line += "; AuthorRank \(percent(authorRank)), SimilarRank \(percent(similarRank))"
            line += flagged ? " ← both below 50%: work on this." : "."
            lines.append(line)
            readings.append([
                "metric": .string(metric.key),
                "label": .string(metric.label),
                "own_value": own.map { .double($0) } ?? .null,
                "similar_value": similarValue.map { .double($0) } ?? .null,
                "author_rank_pct": authorRank.map { .double(($0 * 1000).rounded() / 10) } ?? .null,
                "similar_rank_pct": similarRank.map { .double(($0 * 1000).rounded() / 10) } ?? .null,
                "needs_work": .bool(flagged),
            ])
        }
        if readings.isEmpty {
            return Presentation(lines: ["The diagnosis came back without the five dimensions; the raw data follows."])
        }
        if needsWork.isEmpty {
            lines.append(
                "No metric has both ranks below 50%, so none needs urgent work; the lowest ranks show where to improve next."
            )
        } else {
            lines.append("To work on (both ranks below 50%): \(needsWork.joined(separator: ", ")).")
            for metric in metrics where needsWork.contains(metric.key) {
                if let tip = metric.tip { lines.append("Tip for \(metric.key): \(tip).") }
            }
        }
        return Presentation(
            lines: lines,
            structured: ["reading": ["metrics": .array(readings), "needs_work": .array(needsWork.map { .string($0) })]]
        )
    }

    static func percent(_ rank: Double?) -> String {
        guard let rank else { return "n/a" }
        return String(format: "%.1f%%", rank * 100)
    }

    static func format(_ value: Double, ratio: Bool) -> String {
        if ratio { return String(format: "%.2f%%", value * 100) }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(format: "%.4g", value)
    }
}
