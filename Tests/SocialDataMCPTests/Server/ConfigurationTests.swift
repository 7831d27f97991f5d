import CLI
import Catalog
import Providers
import Spend
import Testing
import ToolCall
import Wire

@Suite struct ConfigurationTests {
    @Test func readsEveryServerSetting() throws {
        let configuration = try Configuration(
            environment: Environment([
                "SOCIAL_DATA_MCP_TOOLSETS": "datanexus, geo",
                "SOCIAL_DATA_MCP_READ_ONLY": "true",
                "SOCIAL_DATA_MCP_MAX_SPEND_CNY": "12.5",
                "SOCIAL_DATA_MCP_CACHE_TTL": "0",
                "SOCIAL_DATA_MCP_TIMEOUT": "9",
            ])
        )
        #expect(configuration.selection.toolsets == ["datanexus", "geo"])
        #expect(configuration.selection.isReadOnly)
        #expect(configuration.ceilings[.cny] == .yuan(12.5))
        #expect(configuration.cacheTTL == 0)
        #expect(configuration.timeout == .seconds(9))
    }

    @Test(arguments: [
        ["SOCIAL_DATA_MCP_MAX_SPEND_CNY": "ten"], ["SOCIAL_DATA_MCP_MAX_SPEND_CNY": "-1"],
        ["SOCIAL_DATA_MCP_READ_ONLY": "maybe"],
        ["SOCIAL_DATA_MCP_CACHE_TTL": "5m"], ["SOCIAL_DATA_MCP_TIMEOUT": "0"],
    ])
    func malformedValuesAreErrorsNotDefaults(_ variables: [String: String]) {
        #expect(throws: ConfigurationError.self) { try Configuration(environment: Environment(variables)) }
    }

    @Test func blankValuesAreUnset() throws {
        let environment = Environment(["DATANEXUS_API_KEY": "  ", "SOCIAL_DATA_MCP_TOOLSETS": ""])
        #expect(environment["DATANEXUS_API_KEY"] == nil)
        #expect(try Configuration(environment: environment).selection.toolsets == nil)
    }

    @Test func unknownToolsetOrToolIsAStartupError() throws {
        for variables in [
            ["SOCIAL_DATA_MCP_TOOLSETS": "datanexus,weibo"], ["SOCIAL_DATA_MCP_TOOLS": "datanexus_get_author,nope"],
        ] {
            let configuration = try Configuration(environment: Environment(variables))
            #expect(throws: ConfigurationError.self) {
                try ToolServices.catalog(selection: configuration.selection)
            }
        }
    }

    @Test func flagsAreDerivedFromVariables() {
        #expect(Configuration.maxSpendKey.flag == "--max-spend-cny")
        #expect(ConfigKey("DATANEXUS_API_KEY", "").flag == "--datanexus-api-key")
    }

    @Test func commandLineFoldsFlagsIntoConfiguration() throws {
        let parsed = try CommandLineArguments(
            ["tools", "--format", "openai", "--toolsets=datanexus", "--read-only", "--max-spend-cny", "5"],
            configKeys: Configuration.serverKeys
        )
        #expect(parsed.command == "tools")
        #expect(parsed.option("--format") == "openai")
        #expect(
            parsed.configuration == [
                "SOCIAL_DATA_MCP_TOOLSETS": "datanexus", "SOCIAL_DATA_MCP_READ_ONLY": "1",
                "SOCIAL_DATA_MCP_MAX_SPEND_CNY": "5",
            ]
        )
        #expect(throws: CommandLineError.self) { try CommandLineArguments(["tools", "--bogus"], configKeys: []) }
        #expect(throws: CommandLineError.self) { try CommandLineArguments(["frobnicate"], configKeys: []) }
        #expect(try CommandLineArguments([], configKeys: []).command == "serve")
    }
}
