import Catalog
import Foundation
import Providers
import Spend
import ToolCall
import Wire

/// What a command's run function receives: its parsed arguments, and the environment with
/// the configuration flags applied, from which it builds the settings it needs.
public struct Invocation: Sendable {
    /// The parsed command line.
    public let arguments: CommandLineArguments
    /// The process environment with `--flag` overrides on top.
    public let environment: Environment

    /// Creates an invocation.
    public init(arguments: CommandLineArguments, environment: Environment) {
        self.arguments = arguments
        self.environment = environment
    }

    /// Positional arguments after the command.
    public var positionals: [String] { arguments.positionals }

    /// The last value of an option.
    public func option(_ name: String) -> String? { arguments.option(name) }

    /// Every value of a repeatable option, in order.
    public func values(_ name: String) -> [String] { arguments.options[name] ?? [] }

    /// Whether a switch was given.
    public func flag(_ name: String) -> Bool { arguments.switches.contains(name) }

    /// The settings.
    public func configuration() throws(ConfigurationError) -> Configuration {
        try ToolServices.configuration(environment)
    }

    /// The tools the settings expose.
    public func catalog() throws(ConfigurationError) -> ToolCatalog {
        try ToolServices.catalog(selection: try configuration().selection)
    }

    /// The shared services of a serving process: over the real network, or in sandbox
    /// mode over the providers' documented examples.
    public func services() throws(ConfigurationError) -> ToolServices {
        let (configuration, transport) = try Sandbox.wiring(try configuration())
        return try ToolServices(configuration: configuration, transport: transport)
    }

    /// The home folder, which user-scope files live under.
    public func home() throws(CommandError) -> String {
        guard let home = environment["HOME"] else {
            throw CommandError("HOME is not set, so the user's config folder cannot be found")
        }
        return home
    }
}
