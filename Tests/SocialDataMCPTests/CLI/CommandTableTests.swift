import CLI
import Install
import MCPBundle
import Spend
import Testing
import Wire

@Suite("command table")
struct CommandTableTests {
    @Test func namesAndAliasesAreUnique() {
        let spellings = CommandTable.commands.flatMap { [$0.name] + $0.aliases }
        #expect(Set(spellings).count == spellings.count)
        for command in CommandTable.commands {
            let options = command.options.map(\.name)
            #expect(Set(options).count == options.count, "\(command.name) declares an option twice")
        }
    }

    @Test(arguments: CommandTable.commands.map(\.name))
    func everyDeclaredOptionParsesForItsCommand(_ name: String) throws {
        let command = try #require(CommandTable.command(named: name))
        var arguments = [name]
        for option in command.options {
            arguments += option.takesValue ? [option.name, "v-\(option.name)"] : [option.name]
        }
        let parsed = try CommandLineArguments(arguments, configKeys: [])
        #expect(parsed.command == name)
        for option in command.options {
            if option.takesValue {
                #expect(parsed.option(option.name) == "v-\(option.name)")
            } else {
                #expect(parsed.switches.contains(option.name))
            }
        }
    }

    @Test func anOptionOfAnotherCommandIsRejectedWithThatCommandsUsage() throws {
        let error = try #require(throws: CommandLineError.self) {
            try CommandLineArguments(["doctor", "--print"], configKeys: [])
        }
        #expect(error.command == "doctor")
        #expect(error.message.contains("--print"))
    }

    @Test func aSwitchTakesNoValue() {
        #expect(throws: CommandLineError.self) { try CommandLineArguments(["install", "--print=yes"], configKeys: []) }
    }

    @Test func helpAfterACommandIsThatCommandsHelp() throws {
        let parsed = try CommandLineArguments(["install", "cursor", "--help"], configKeys: [])
        #expect(parsed.command == "help")
        #expect(parsed.positionals == ["install"])
        #expect(try CommandLineArguments(["--version"], configKeys: []).command == "version")
    }

    @Test func aCommandNameAfterTheCommandIsAPositional() throws {
        let parsed = try CommandLineArguments(["help", "install"], configKeys: [])
        #expect(parsed.command == "help")
        #expect(parsed.positionals == ["install"])
    }

    @Test func usageLinesComeFromTheRows() throws {
        let install = try #require(CommandTable.command(named: "install"))
        #expect(install.usage.hasPrefix("social-data-mcp install CLIENT"))
        for option in install.options { #expect(install.usage.contains(option.synopsis)) }
        #expect(CommandOption.value("--env", "K[=V]", repeats: true, "").synopsis == "[--env K[=V] ...]")
        #expect(CommandOption.flag("--print", "").synopsis == "[--print]")
    }

    @Test func errorsCarryTheUsageOnlyForMalformedCommandLines() {
        let usage = CommandError("unknown option --x for 'tools'", usage: "social-data-mcp tools [--strict]")
        #expect(usage.report.hasPrefix("social-data-mcp: unknown option --x for 'tools'\n"))
        #expect(usage.report.contains("usage: social-data-mcp tools [--strict]\n"))
        #expect(usage.exitCode == 2)
        #expect(!CommandError("no HOME").report.contains("usage:"))
    }

    @Test func everyLayersErrorBecomesOneMessageAndCode() {
        #expect(
            CommandError(describing: ConfigFileError("x.json is not valid JSON")).report
                == "social-data-mcp: x.json is not valid JSON\n"
        )
        #expect(CommandError(describing: ZipWriter.TooLarge(reason: "too big")).message == "too big")
        #expect(CommandError(describing: CommandError("kept", exitCode: 3)).exitCode == 3)
        let configuration = Result {
            try Configuration(environment: Environment(["SOCIAL_DATA_MCP_READ_ONLY": "maybe"]))
        }
        if case .failure(let error) = configuration {
            #expect(CommandError(describing: error).message.hasPrefix("SOCIAL_DATA_MCP_READ_ONLY=maybe"))
        } else {
            Issue.record("a malformed setting was accepted")
        }
    }
}
