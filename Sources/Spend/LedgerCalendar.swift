import Foundation

/// Local days and months in milliseconds, computed once per day rather than per event:
/// `Calendar` is slow, and events arrive in time order, so the interval of the last one
/// almost always holds the next.
struct LedgerCalendar: Sendable {
    /// A half-open span of time in milliseconds since 1970.
    struct Span: Sendable, Equatable {
        var start: Int64
        var end: Int64

        func contains(_ time: Int64) -> Bool { time >= start && time < end }
    }

    /// The calendar local days and months are counted in.
    let calendar: Calendar
    private var day = Span(start: 0, end: 0)
    private var month = Span(start: 0, end: 0)

    init(calendar: Calendar) {
        self.calendar = calendar
    }

    /// The local day holding `time`.
    mutating func day(of time: Int64) -> Span {
        if !day.contains(time) { day = span(.day, time) }
        return day
    }

    /// The local month holding `time`.
    mutating func month(of time: Int64) -> Span {
        if !month.contains(time) { month = span(.month, time) }
        return month
    }

    /// The month file holding `time`, and the one before it.
    func fileNames(at time: Int64) -> (previous: String, current: String) {
        let date = Date(timeIntervalSince1970: Double(time) / 1000)
        let parts = calendar.dateComponents([.year, .month], from: date)
        let year = parts.year ?? 1970
        let month = parts.month ?? 1
        return (
            LedgerFiles.fileName(year: month == 1 ? year - 1 : year, month: month == 1 ? 12 : month - 1),
            LedgerFiles.fileName(year: year, month: month)
        )
    }

    private func span(_ component: Calendar.Component, _ time: Int64) -> Span {
        let date = Date(timeIntervalSince1970: Double(time) / 1000)
        guard let interval = calendar.dateInterval(of: component, for: date) else {
            return Span(start: Int64.min, end: Int64.max)
        }
        return Span(start: LedgerCalendar.milliseconds(interval.start), end: LedgerCalendar.milliseconds(interval.end))
    }

    static func milliseconds(_ date: Date) -> Int64 {
        let value = (date.timeIntervalSince1970 * 1000).rounded(.down)
        guard value.isFinite, abs(value) < 9e18 else { return 0 }
        return Int64(value)
    }
}
