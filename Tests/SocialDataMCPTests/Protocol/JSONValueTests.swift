import Testing
import Wire

@Suite struct JSONValueTests {
    @Test func integersAndDoublesStayApart() throws {
        #expect(try JSONParser.parse("1") == .int(1))
        #expect(try JSONParser.parse("1.0") == .double(1.0))
        #expect(try JSONParser.parse("-0.5e2") == .double(-50))
        #expect(JSONValue.double(1.0).jsonText == "1.0")
        #expect(JSONValue.int(1).jsonText == "1")
    }

    @Test func largeIntegersRoundTripExactly() throws {
        for text in ["7559536212910853422", "9007199254740993", "-9223372036854775808", "9223372036854775807"] {
            #expect(try JSONParser.parse(text).jsonText == text)
        }
        // Past Int's range a number is read as a double rather than rejected.
        #expect(try JSONParser.parse("18446744073709551616") == .double(18_446_744_073_709_551_616))
    }

    @Test func unicodeAndEscapesRoundTrip() throws {
        let text = #"{"a":"美妆 \"quoted\" \\ / \n\t 😀 \u0001"}"#
        let value = try JSONParser.parse(text)
        #expect(value["a"]?.stringValue == "美妆 \"quoted\" \\ / \n\t 😀 \u{01}")
        #expect(try JSONParser.parse(value.jsonText) == value)
        #expect(try JSONParser.parse(#""\ud83d\ude00""#) == "😀")
        #expect(!value.jsonText.contains("\\/"), "slashes are not escaped")
    }

    @Test func serializationIsOneLineWithSortedKeys() {
        let value: JSONValue = ["b": [1, 2], "a": ["text": "line\nbreak"], "c": nil]
        #expect(value.jsonText == #"{"a":{"text":"line\nbreak"},"b":[1,2],"c":null}"#)
        #expect(!value.jsonText.contains("\n"))
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "tru", "\"unterminated", "{\"a\" 1}", "[1] x", "\"\\x\"",
        "\"\\ud800\"", "\"tab\there\"", "NaN", "1e400",
    ])
    func rejectsMalformedJSON(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0xFF, 0xFE, 0x22]) }
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0xE4, 0xB8, 0x22]) }
    }

    @Test func rejectsNestingBeyondTheLimitInsteadOfOverflowingTheStack() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect((try? JSONParser.parse(fine)) != nil)
    }

    @Test func nonFiniteDoublesSerializeAsNull() {
        #expect(JSONValue.double(.infinity).jsonText == "null")
        #expect(JSONValue.double(.nan).jsonText == "null")
    }

    @Test func prettyTextIsIndentedAndEndsWithANewline() {
        let value: JSONValue = ["a": [1], "b": [:]]
        #expect(value.prettyJSONText == "{\n  \"a\": [\n    1\n  ],\n  \"b\": {}\n}\n")
    }
}
