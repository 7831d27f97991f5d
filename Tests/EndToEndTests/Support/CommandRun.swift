import Foundation

/// The binary run once as a command-line tool.
struct CommandRun {
    let status: Int32
    let stdout: String
    let stderr: String

    /// Runs `social-data-mcp ARGUMENTS` (the built one, or `binary`) in `directory` with
    /// exactly `environment` (plus PATH).
    static func run(
        _ arguments: [String],
        environment: [String: String],
        directory: URL,
        binary: String = ServerProcess.binaryPath
    ) async throws -> CommandRun {
        // The run's own ledger, inside its directory, unless the test names one.
        let process = try ChildProcess(
            path: binary,
            arguments: arguments,
            environment: environment.merging([
                "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                "SOCIAL_DATA_MCP_STATE_DIR": directory.appendingPathComponent(".social-data-mcp-state").path,
            ]) { own, _ in own },
            directory: directory.path
        )
        try? process.standardInput.close()
        return await Task.detached {
            let out = process.standardOutput.readDataToEndOfFile()
            let err = process.standardError.readDataToEndOfFile()
            process.waitUntilExit()
            return CommandRun(
                status: process.terminationStatus,
                stdout: String(decoding: out, as: UTF8.self),
                stderr: String(decoding: err, as: UTF8.self)
            )
        }.value
    }
}

/// A fresh directory that is removed afterwards.
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
        "sdm-\(UUID().uuidString)",
        isDirectory: true
    )
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try await body(url)
}
