import Foundation

/// The command-line entry point: turns argv into a command and an exit code.
public enum CLI {
    /// Every configuration key: the server's and each provider's.
    public static var configKeys: [ConfigKey] { Configuration.keys(for: ToolTable.providers) }

    /// Runs the command line and returns the exit code.
    public static func run(_ arguments: [String], environment: Environment = .process) async -> Int32 {
        let parsed: CommandLineArguments
        do {
            parsed = try CommandLineArguments(arguments, configKeys: configKeys)
        } catch {
            FileHandle.standardError.write(Data("social-data-mcp: \(error.message)\n".utf8))
            return 2
        }
        let environment = environment.merging(parsed.configuration)
        switch parsed.command {
        case "help":
            print(HelpText.text, terminator: "")
            return 0
        case "version":
            print("\(ServerIdentity.name) \(ServerIdentity.version)")
            return 0
        default:
            break
        }
        let configuration: Configuration
        do {
            configuration = try Configuration(environment: environment)
        } catch {
            FileHandle.standardError.write(Data("social-data-mcp: \(error.message)\n".utf8))
            return 2
        }
        do {
            switch parsed.command {
            case "tools": return try ToolsCommand.run(parsed, configuration: configuration)
            case "call": return try await CallCommand.run(parsed, configuration: configuration)
            case "skill": return try SkillCommand.run(parsed, environment: environment)
            case "install": return try InstallCommand.run(parsed, environment: environment)
            case "doctor": return try await DoctorCommand.run(configuration: configuration)
            case "usage": return try UsageCommand.run(parsed, configuration: configuration)
            default: return try ServeCommand.run(configuration: configuration)
            }
        } catch {
            FileHandle.standardError.write(Data("social-data-mcp: \(error.message)\n".utf8))
            return 2
        }
    }

    /// Writes text to stdout at once (stdout may be a pipe, where `print` buffers).
    static func writeOut(_ text: String, redactor: SecretRedactor? = nil) {
        var bytes = Array(text.utf8)
        if let redactor { bytes = redactor.redact(bytes) }
        FileHandle.standardOutput.write(Data(bytes))
    }
}

/// An error a command reports on stderr with exit code 2.
public struct CommandError: Error, Sendable {
    /// What went wrong.
    public let message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }
}

extension ConfigurationError {
    var asCommandError: CommandError { CommandError(message) }
}
