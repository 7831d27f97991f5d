import CLI
import Foundation
import Testing
import ToolCall
import Wire

@Suite("command line: help, usage and errors from the command table")
struct CommandLineEndToEndTests {
    private func run(_ arguments: [String]) async throws -> CommandRun {
        try await withTemporaryDirectory { folder in
            try await CommandRun.run(arguments, environment: ["HOME": folder.path], directory: folder)
        }
    }

    @Test func helpListsEveryCommandsUsageAndEverySetting() async throws {
        let help = try await run(["--help"])
        #expect(help.status == 0)
        #expect(help.stderr.isEmpty)
        for command in CommandTable.commands {
            #expect(help.stdout.contains("  " + command.usage), "--help lacks \(command.name)")
        }
        for key in ToolServices.settings { #expect(help.stdout.contains(key.flag)) }
    }

    @Test(arguments: CommandTable.commands.map(\.name))
    func eachCommandHasItsOwnHelp(_ name: String) async throws {
        let command = try #require(CommandTable.command(named: name))
        let help = try await run(["help", name])
        #expect(help.status == 0)
        #expect(help.stdout.hasPrefix("usage: \(command.usage)\n"))
        for option in command.options { #expect(help.stdout.contains(option.help)) }
    }

    @Test func aMalformedCommandLineGetsTheMessageAndTheUsageOnStderrOnly() async throws {
        let wrong = try await run(["uninstall", "cursor", "--env", "X"])
        #expect(wrong.status == 2)
        #expect(wrong.stdout.isEmpty)
        let usage = try #require(CommandTable.command(named: "uninstall")).usage
        #expect(
            wrong.stderr
                == "social-data-mcp: unknown option --env for 'uninstall'\nusage: \(usage)\n(see social-data-mcp --help)\n"
        )
        let unknown = try await run(["frobnicate"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.hasPrefix("social-data-mcp: unknown command 'frobnicate'; commands: serve, tools"))
    }

    @Test func versionAndHelpWorkWhateverTheSettingsHold() async throws {
        let version = try await run(["--version", "--max-spend-cny", "lots"])
        #expect(version.status == 0)
        #expect(version.stdout == "social-data-mcp \(ServerIdentity.version)\n")
        let tools = try await run(["tools", "--max-spend-cny", "lots"])
        #expect(tools.status == 2, "other commands refuse a malformed setting")
        #expect(tools.stderr.contains("SOCIAL_DATA_MCP_MAX_SPEND_CNY=lots"))
    }
}
