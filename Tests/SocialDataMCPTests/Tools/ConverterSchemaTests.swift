import Catalog
import Export
import Providers
import Testing
import ToolCall
import Wire

/// The schemas survive the converters agent frameworks apply to them.
///
/// Strict OpenAI functions, Gemini's `Schema`, LangChain's argument models: the rules each
/// of them broke once. Tests/Interop/frameworks.py runs the frameworks themselves.
@Suite struct ConverterSchemaTests {
    static let entries = ToolServices.entries

    /// Words some host language reserves: a converter that builds a function or a model
    /// from the schema drops or renames such a parameter (LangChain lost GEO's `from`).
    static let reservedWords: Set<String> = [
        "and", "as", "assert", "async", "await", "break", "case", "catch", "class", "const", "continue", "def",
        "default", "del", "delete", "do", "elif", "else", "enum", "except", "export", "extends", "false", "finally",
        "for", "from", "function", "global", "if", "import", "in", "is", "lambda", "let", "new", "none", "nonlocal",
        "not", "null", "or", "pass", "raise", "return", "self", "static", "super", "switch", "this", "throw", "true",
        "try", "type", "typeof", "var", "void", "while", "with", "yield",
    ]

    private static func properties(_ entry: ToolCatalog.Entry) -> [String: JSONValue] {
        InputSchema.schema(for: entry.tool)["properties"]?.objectValue ?? [:]
    }

    @Test(arguments: entries.map(\.tool.name))
    func everyParameterHasADescriptionAndNoReservedName(_ name: String) throws {
        let entry = try #require(Self.entries.first { $0.tool.name == name })
        for (property, schema) in Self.properties(entry) {
            #expect(!Self.reservedWords.contains(property), "\(name).\(property) is a reserved word")
            let description = schema["description"]?.stringValue ?? ""
            #expect(!description.isEmpty, "\(name).\(property) has no description")
            #expect(description.count <= 160, "\(name).\(property): a short description")
        }
    }

    /// Gemini's `Schema.enum` is a list of strings: one integer enum fails the whole request.
    @Test(arguments: entries.map(\.tool.name))
    func everyEnumIsAStringEnumAndAShortOneIsNamed(_ name: String) throws {
        let entry = try #require(Self.entries.first { $0.tool.name == name })
        for (property, schema) in Self.properties(entry) {
            let enumSchema = schema["items"]?["enum"] != nil ? schema["items"] ?? schema : schema
            guard let values = enumSchema["enum"]?.arrayValue else { continue }
            #expect(enumSchema["type"] == "string", "\(name).\(property)")
            let strings = values.compactMap(\.stringValue)
            #expect(strings.count == values.count, "\(name).\(property) has a value that is not a string")
            let named = strings.filter { !$0.isEmpty }
            if named.joined(separator: "|").count <= SchemaText.namedEnumLength {
                let description = schema["description"]?.stringValue ?? ""
                for value in named {
                    #expect(description.contains(value), "\(name).\(property)'s description names \(value)")
                }
            }
        }
    }

    /// A strict converter forces every property: each optional one has an empty value
    /// (`""` in an enum, no `minItems` on a list) that the validator reads as "not given".
    @Test(arguments: entries.map(\.tool.name))
    func everyOptionalPropertyHasAnEmptyValue(_ name: String) throws {
        let entry = try #require(Self.entries.first { $0.tool.name == name })
        let required = Set(InputSchema.requiredNames(of: entry.tool))
        for (property, schema) in Self.properties(entry) where !required.contains(property) {
            if let values = schema["enum"]?.arrayValue { #expect(values.first == "", "\(name).\(property)") }
            if schema["type"] == "array" { #expect(schema["minItems"] == nil, "\(name).\(property)") }
        }
        for property in required {
            #expect(Self.properties(entry)[property]?["enum"]?.arrayValue?.contains("") != true)
        }
    }

    /// Every tool exports as a strict OpenAI function; only the free-form route tool cannot.
    @Test func everyToolButTheRouteToolIsStrict() throws {
        let functions = try #require(ToolExport.export(Self.entries, format: .openai, strict: true).arrayValue)
        #expect(functions.count == Self.entries.count)
        for function in functions {
            let name = function["function"]?["name"]?.stringValue ?? ""
            let parameters = function["function"]?["parameters"]
            let isStrict = function["function"]?["strict"] == true
            #expect(isStrict == (name != "tikomni_call_route"), "\(name)")
            guard isStrict else { continue }
            #expect(parameters?["additionalProperties"] == false, "\(name)")
            let properties = parameters?["properties"]?.objectValue ?? [:]
            #expect(Set(parameters?["required"]?.arrayValue?.compactMap(\.stringValue) ?? []) == Set(properties.keys))
        }
    }

    /// google-genai's MCP conversion crashes on a boolean `additionalProperties` (it walks it
    /// as a schema), failing every Gemini request while such a tool is listed.
    @Test func noToolSchemaHasABooleanAdditionalProperties() {
        for entry in Self.entries {
            #expect(InputSchema.schema(for: entry.tool)["additionalProperties"] == nil, "\(entry.tool.name)")
        }
    }

    /// GEO's dates are `start_date`/`end_date` for the model and `from`/`to` on the wire.
    @Test func geoDatesKeepTheirWireNames() throws {
        let citations = try #require(Self.entries.first { $0.tool.name == "geo_citations" }?.tool)
        #expect(citations.parameter(named: "start_date")?.upstreamName == "from")
        #expect(citations.parameter(named: "end_date")?.upstreamName == "to")
        #expect(citations.parameter(named: "from") == nil)
    }

    /// The cookie's description says how to leave it out of the call.
    @Test func theCookieSaysAnEmptyValueUsesTheServersCookie() throws {
        let diagnosis = try #require(Self.entries.first { $0.tool.name == "tikomni_douyin_author_diagnosis" })
        let cookie = Self.properties(diagnosis)["cookie"]?["description"]?.stringValue ?? ""
        #expect(cookie.contains("\"\" = use TIKOMNI_DOUYIN_COOKIE"), "\(cookie)")
        #expect(InputSchema.requiredNames(of: diagnosis.tool).isEmpty, "nothing the model must know to call it")
    }
}
