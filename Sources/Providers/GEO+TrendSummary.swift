import Catalog
import Foundation
import Wire

/// The per-engine reading of `geo_brand_trend`: what an agent can quote without adding
/// up thirty rows itself.
enum GEOTrendSummary {
    /// The metrics summarised, with how they are written.
    static let metrics: [(key: String, label: String, unit: String)] = [
        ("mention_rate_pct", "mention rate", "%"),
        ("avg_rank_score", "rank score", ""),
    ]

    static func present(_ data: JSONValue, _ arguments: [String: JSONValue]) -> Presentation {
        guard let rows = data.arrayValue else { return Presentation() }
        var byPlatform: [String: [JSONValue]] = [:]
        for row in rows {
            guard let platform = row["platform"]?.stringValue else { continue }
            byPlatform[platform, default: []].append(row)
        }
        guard !byPlatform.isEmpty else {
            return Presentation(lines: ["No trend data in this window."], structured: ["trend_summary": [:]])
        }
        var lines: [String] = []
        var summary: [String: JSONValue] = [:]
        for platform in byPlatform.keys.sorted() {
            let series = (byPlatform[platform] ?? []).sorted {
                ($0["date"]?.stringValue ?? "") < ($1["date"]?.stringValue ?? "")
            }
            let firstDay = series.first?["date"]?.stringValue ?? "?"
            let lastDay = series.last?["date"]?.stringValue ?? "?"
            var parts: [String] = []
            var platformSummary: [String: JSONValue] = [
                "first_date": .string(firstDay), "last_date": .string(lastDay), "days": .int(series.count),
            ]
            for metric in metrics {
                let points = series.compactMap { row -> (date: String, value: Double)? in
                    guard let value = row[metric.key]?.doubleValue else { return nil }
                    return (row["date"]?.stringValue ?? "?", value)
                }
                guard let first = points.first, let last = points.last,
                    let minimum = points.min(by: { $0.value < $1.value }),
                    let maximum = points.max(by: { $0.value < $1.value })
                else {
                    parts.append("\(metric.label): no samples")
                    platformSummary[metric.key] = .null
                    continue
                }
                let change = last.value - first.value
                let changeUnit = metric.unit == "%" ? " pp" : ""
                parts.append(
                    "\(metric.label) \(number(first.value))\(metric.unit) → \(number(last.value))\(metric.unit) "
                        + "(\(change >= 0 ? "+" : "")\(number(change))\(changeUnit)), min \(number(minimum.value))\(metric.unit) "
                        + "on \(minimum.date), max \(number(maximum.value))\(metric.unit) on \(maximum.date)"
                )
                platformSummary[metric.key] = [
                    "first": .double(first.value), "last": .double(last.value),
                    "change": .double(round(change * 100) / 100),
                    "min": .double(minimum.value), "min_date": .string(minimum.date),
                    "max": .double(maximum.value), "max_date": .string(maximum.date),
                ]
            }
            lines.append(
                "\(platform) (\(firstDay) → \(lastDay), \(series.count) day\(series.count == 1 ? "" : "s")): "
                    + parts.joined(separator: "; ") + "."
            )
            summary[platform] = .object(platformSummary)
        }
        return Presentation(lines: ["Trend by AI engine:"] + lines, structured: ["trend_summary": .object(summary)])
    }

    /// One decimal, or two for small values; no trailing zeros beyond that.
    static func number(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(format: "%.1f", rounded) }
        return String(format: abs(rounded * 10 - (rounded * 10).rounded()) < 1e-9 ? "%.1f" : "%.2f", rounded)
    }
}
