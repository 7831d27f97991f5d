import Testing
import ToolCall
import Wire

@Suite struct JSONTrimmerTests {
    @Test func smallValuesAreUntouched() {
        let value: JSONValue = ["items": [1, 2, 3]]
        let (trimmed, notes) = JSONTrimmer.trim(value, toFit: 1_000)
        #expect(trimmed == value)
        #expect(notes.isEmpty)
    }

    @Test func theLargestListIsCutAndTheCutIsNamed() {
        let items = (0..<500).map {
            JSONValue.object(["id": .int($0), "name": .string(String(repeating: "x", count: 40))])
        }
        let value: JSONValue = ["items": .array(items), "total": 500]
        let (trimmed, notes) = JSONTrimmer.trim(value, toFit: 5_000)
        #expect(trimmed.jsonBytes.count <= 5_000)
        let kept = trimmed["items"]?.arrayValue?.count ?? 0
        #expect(kept > 10 && kept < 500)
        #expect(trimmed["total"] == 500)
        #expect(notes.first?.contains("data.items: kept the first \(kept) of 500") == true, "\(notes)")
    }

    @Test func aHugeStringIsCut() {
        let value: JSONValue = ["text": .string(String(repeating: "美", count: 50_000))]
        let (trimmed, notes) = JSONTrimmer.trim(value, toFit: 2_000)
        #expect(trimmed.jsonBytes.count <= 2_000)
        #expect(!notes.isEmpty)
    }
}
