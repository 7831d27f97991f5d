/// A calendar day (proleptic Gregorian, UTC), for checking date arguments and spans
/// without `Calendar`, whose behaviour depends on the machine's locale and time zone.
public struct CalendarDay: Sendable, Hashable, Comparable {
    /// Days since 1970-01-01.
    public let ordinal: Int

    /// Parses a day written in `layout`, rejecting impossible dates such as 2025-02-30.
    public init?(_ text: String, layout: DateLayout) {
        let digits = Array(text.utf8)
        let parts: (year: ArraySlice<UInt8>, month: ArraySlice<UInt8>, day: ArraySlice<UInt8>)
        switch layout {
        case .dashed:
            guard digits.count == 10, digits[4] == UInt8(ascii: "-"), digits[7] == UInt8(ascii: "-") else { return nil }
            parts = (digits[0..<4], digits[5..<7], digits[8..<10])
        case .compact:
            guard digits.count == 8 else { return nil }
            parts = (digits[0..<4], digits[4..<6], digits[6..<8])
        }
        guard let year = CalendarDay.number(parts.year), let month = CalendarDay.number(parts.month),
            let day = CalendarDay.number(parts.day), (1...12).contains(month),
            (1...CalendarDay.daysInMonth(month, year: year)).contains(day)
        else { return nil }
        ordinal = CalendarDay.daysFromCivil(year: year, month: month, day: day)
    }

    /// Orders days.
    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool { lhs.ordinal < rhs.ordinal }

    private static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return Int(String(decoding: bytes, as: UTF8.self))
    }

    private static func daysInMonth(_ month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Howard Hinnant's days-from-civil: exact for every Gregorian date.
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
