import CLI
import Foundation
import LoopbackStandIn
import Testing
import Wire

/// Every error path of every command in the table, run against the built binary: what it
/// prints is a sentence for a person, never Swift's printed form of a value
/// (`missingConfiguration(variable: …)`, `Optional(…)`, `Error Domain=…`, `ConfigScope.user`).
@Suite("command errors in people's words, for every command of the table")
struct CommandErrorWordsEndToEndTests {
    /// What betrays a Swift value printed as it is, by name.
    static let swiftForms: [(String, String)] = [
        ("Optional(", #"Optional\("#),
        ("an NSError", #"Error Domain=|NSURLErrorDomain|NSCocoaErrorDomain"#),
        ("an enum case with a payload", #"\b[a-z]+[A-Z][A-Za-z]*\((\"|[a-z]+: )"#),
        ("a type name with a member", #"\b[A-Z][a-z]+[A-Z][A-Za-z]*\.[a-z][A-Za-z]*\b"#),
        ("a Swift error's type and case", #"\b[A-Z][A-Za-z]*Error\b(\.|\()"#),
    ]

    /// Every provider pointed at a loopback port nothing listens on: a command that gets
    /// as far as the network (doctor's probes) stays on this machine.
    static let deadEnds = DocumentedResponses.baseURLs("http://127.0.0.1:1")

    /// The command lines that fail for each command: an unknown option, an option without
    /// its value or with a nonsense one, a switch given a value, stray arguments, and
    /// settings the server refuses.
    static func errorPaths(_ command: Command) -> [[String]] {
        var paths: [[String]] = [
            [command.name, "--no-such-option"],
            [command.name, "--max-spend-cny", "lots"],
            [command.name, "--toolsets", "datanexsu"],
            [command.name, "--tools", "datanexus_list_author"],
            [command.name, "--timeout", "-3"],
        ]
        if command.name != "serve" { paths.append([command.name, "stray", "words", "here"]) }
        for option in command.options {
            if option.takesValue {
                paths.append([command.name, option.name])
                paths.append([command.name, option.name, "?bogus"])
            } else {
                paths.append([command.name, "\(option.name)=x"])
            }
        }
        return paths
    }

    /// The upstream and setting failures a tool call meets: no key, nothing listening,
    /// a host that is not https, an invalid argument, arguments that are not JSON.
    static let callPaths: [([String], [String: String])] = [
        (["call", "datanexus_list_authors", #"{"platform":"douyin"}"#], [:]),
        (
            ["call", "datanexus_list_authors", #"{"platform":"douyin"}"#],
            ["DATANEXUS_API_KEY": "dn_live_words_key_0001", "DATANEXUS_BASE_URL": "http://127.0.0.1:1"]
        ),
        (
            ["call", "datanexus_list_authors", #"{"platform":"douyin"}"#],
            ["DATANEXUS_API_KEY": "dn_live_words_key_0001", "DATANEXUS_BASE_URL": "http://example.invalid"]
        ),
        (["call", "datanexus_list_authors", #"{"platform":"weibo"}"#, "--sandbox"], [:]),
        (["call", "datanexus_list_authors", "{not json", "--sandbox"], [:]),
        (["call", "nope", "--sandbox"], [:]),
        (["call"], [:]),
        (["doctor"], ["DATANEXUS_API_KEY": "dn_live_words_key_0001", "DATANEXUS_BASE_URL": "http://127.0.0.1:1"]),
        (["usage", "--client", "cursor"], [:]),
        (["usage", "--clear-unsettled", "no-such-hold"], [:]),
        (["skill", "--install", "--dir", "/proc/no-such-place"], [:]),
        (["registry-entry", "--mcpb", "/no/such.mcpb", "--base-url", "https://example.com/r"], [:]),
    ]

    /// The Swift forms `text` shows, by name.
    static func leaks(in text: String) -> [String] {
        let range = NSRange(text.startIndex..., in: text)
        return swiftForms.compactMap { name, pattern in
            guard let expression = try? NSRegularExpression(pattern: pattern) else { return "\(name): bad pattern" }
            return expression.firstMatch(in: text, range: range).flatMap { Range($0.range, in: text) }.map {
                "\(name): \(text[$0])"
            }
        }
    }

    @Test func thePatternsCatchSwiftsPrintedForms() {
        for form in [
            #"failed: missingConfiguration(variable: "DATANEXUS_API_KEY")"#, "unreachable (cannotConnect(\"x\"))",
            "Optional(3)", "Error Domain=NSURLErrorDomain Code=-1003", "scope ConfigScope.user",
            "TransportError.timedOut",
        ] {
            #expect(!Self.leaks(in: form).isEmpty, "not caught: \(form)")
        }
        for sentence in [
            "could not resolve dataneuxs.icu: check the network or DATANEXUS_BASE_URL", "see SKILL.md",
            "DataNexus: connection failed (127.0.0.1 refused the connection).", "--format json (default mcp)",
        ] {
            #expect(Self.leaks(in: sentence).isEmpty, "a sentence taken for a Swift form: \(sentence)")
        }
    }

    @Test(arguments: CommandTable.commands.map(\.name))
    func everyErrorPathOfTheCommandIsASentence(_ name: String) async throws {
        let command = try #require(CommandTable.command(named: name))
        try await withTemporaryDirectory { home in
            for arguments in Self.errorPaths(command) {
                let result = try await CommandRun.run(
                    arguments,
                    environment: Self.deadEnds.merging(["HOME": home.path]) { _, new in new },
                    directory: home
                )
                let output = result.stderr + result.stdout
                #expect(Self.leaks(in: output).isEmpty, "\(arguments): \(Self.leaks(in: output))\n\(output)")
                if arguments.contains("--no-such-option") {
                    #expect(result.status == 2 && result.stderr.contains("unknown option --no-such-option"))
                }
            }
        }
    }

    @Test func callAndReportFailuresAreSentences() async throws {
        try await withTemporaryDirectory { home in
            for (arguments, environment) in Self.callPaths {
                let result = try await CommandRun.run(
                    arguments,
                    environment: Self.deadEnds.merging(environment) { _, new in new }.merging(["HOME": home.path]) {
                        _,
                        new in new
                    },
                    directory: home
                )
                let output = result.stderr + result.stdout
                #expect(result.status != 0 || arguments.first == "doctor", "\(arguments) succeeded")
                #expect(Self.leaks(in: output).isEmpty, "\(arguments): \(Self.leaks(in: output))\n\(output)")
            }
        }
    }

    @Test func aRefusedConnectionNamesTheHostAndTheSetting() async throws {
        try await withTemporaryDirectory { home in
            let result = try await CommandRun.run(
                ["call", "datanexus_list_authors", #"{"platform":"douyin"}"#],
                environment: [
                    "HOME": home.path, "DATANEXUS_API_KEY": "dn_live_words_key_0001",
                    "DATANEXUS_BASE_URL": "http://127.0.0.1:1",
                ],
                directory: home
            )
            #expect(result.stdout.contains("127.0.0.1"), "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("check the network or DATANEXUS_BASE_URL"))
        }
    }
}
