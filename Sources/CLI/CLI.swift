import Catalog
import Foundation
import Install
import MCPBundle
import Providers
import Spend
import ToolCall
import Wire

/// The command-line entry point: turns argv into a command and an exit code.
public enum CLI {
    /// Every configuration key: the server's and each provider's.

    /// Runs the command line and returns the exit code.
    ///
    /// This is the one exit path: whatever a command throws comes back here and is
    /// written to stderr once, in one shape, with one exit code.
    public static func run(_ arguments: [String], environment: Environment = .process) async -> Int32 {
        do {
            let parsed = try parse(arguments)
            guard let command = CommandTable.command(named: parsed.command) else {
                throw CommandError(CommandTable.unknownCommand(parsed.command))
            }
            // A command that takes no arguments says so, rather than ignoring `doctor cursor`.
            if command.arguments.isEmpty, let stray = parsed.positionals.first {
                throw CommandError("\(command.name) takes no arguments (got '\(stray)')", usage: command.usage)
            }
            let invocation = Invocation(arguments: parsed, environment: environment.merging(parsed.configuration))
            if command.checksConfiguration { _ = try invocation.configuration() }
            return try await command.run(invocation)
        } catch {
            let failure = CommandError(describing: error)
            FileHandle.standardError.write(Data(failure.report.utf8))
            return failure.exitCode
        }
    }

    /// Parses argv; a malformed command line becomes an error carrying the command's usage.
    static func parse(_ arguments: [String]) throws(CommandError) -> CommandLineArguments {
        do {
            return try CommandLineArguments(arguments, configKeys: ToolServices.settings)
        } catch {
            throw CommandError(error.message, usage: error.command.flatMap(CommandTable.command(named:))?.usage)
        }
    }

    /// Writes text to stdout at once (stdout may be a pipe, where `print` buffers).
    static func writeOut(_ text: String, redactor: SecretRedactor? = nil) {
        var bytes = Array(text.utf8)
        if let redactor { bytes = redactor.redact(bytes) }
        FileHandle.standardOutput.write(Data(bytes))
    }
}

/// Why a command stopped: the message for stderr and the exit code, the one shape every
/// failure of the command line takes (as swift-argument-parser's `MessageInfo`).
public struct CommandError: Error, Sendable {
    /// What went wrong.
    public let message: String
    /// The usage line to show with it, for a malformed command line.
    public let usage: String?
    /// The process's exit code (2: the command could not do what was asked).
    public let exitCode: Int32

    /// Creates an error.
    public init(_ message: String, usage: String? = nil, exitCode: Int32 = 2) {
        self.message = message
        self.usage = usage
        self.exitCode = exitCode
    }

    /// Any error a command throws, as the message and code the user sees.
    ///
    /// Each layer keeps its own error type (settings, config files, the bundle); this is
    /// the one place they become text.
    public init(describing error: any Error) {
        switch error {
        case let error as CommandError: self = error
        case let error as ConfigurationError: self.init(error.message)
        case let error as ConfigFileError: self.init(error.message)
        case let error as ZipWriter.TooLarge: self.init(error.reason)
        default: self.init(Self.sentence(for: error))
        }
    }

    /// A Foundation or system error in words: the system's own reason for a file error,
    /// never Swift's printed form of the value (`CocoaError(...)`, `Error Domain=...`).
    public static func sentence(for error: any Error) -> String {
        let bridged = error as NSError
        let underlying = bridged.userInfo[NSUnderlyingErrorKey] as? NSError
        for candidate in [underlying, bridged].compactMap({ $0 }) where candidate.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(candidate.code)))
        }
        if let cocoa = error as? CocoaError {
            let path = (bridged.userInfo[NSFilePathErrorKey] as? String).map { " (\($0))" } ?? ""
            switch cocoa.code {
            case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or folder" + path
            case .fileWriteNoPermission, .fileReadNoPermission: return "permission denied" + path
            case .fileWriteOutOfSpace: return "no space left on the device" + path
            case .fileWriteVolumeReadOnly: return "read-only file system" + path
            case .fileWriteFileExists: return "it already exists" + path
            default: if !path.isEmpty { return "the file operation failed" + path }
            }
        }
        let text = error.localizedDescription
        // An error that carries no description of its own describes itself by its type.
        if text.contains("Error Domain=") || text.contains("could not be completed") {
            return "an unexpected error (code \(bridged.code))"
        }
        return text
    }

    /// The text for stderr.
    public var report: String {
        var text = "\(ServerIdentity.name): \(message)\n"
        if let usage { text += "usage: \(usage)\n(see \(ServerIdentity.name) --help)\n" }
        return text
    }
}
