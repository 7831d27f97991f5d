import Foundation
import MCPBundle
import Testing

@Suite("bundle command")
struct BundleEndToEndTests {
    /// Tests/Interop/check_bundle.py, found from this file.
    static let checker = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Interop/check_bundle.py")

    @Test func theUnzippedBundleHoldsItsFilesAndAnswersInitialize() async throws {
        // The schema check needs jsonschema, which scripts/test runs from its virtualenv;
        // here the zip, the settings and the unzipped server are checked with the stdlib.
        let process = try ChildProcess(
            path: "/usr/bin/env",
            arguments: ["python3", Self.checker.path, "--server", ServerProcess.binaryPath, "--skip-schema"],
            environment: ProcessInfo.processInfo.environment
        )
        try? process.standardInput.close()
        let text = String(decoding: process.standardOutput.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: process.standardError.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)\(errors)")
        #expect(text.contains("check_bundle: ok (4 files, \(BundleManifest.settings.count) settings"))
    }

    @Test func bundleWritesWhereItIsToldAndRefusesAnUnwritablePlace() async throws {
        try await withTemporaryDirectory { folder in
            let result = try await CommandRun.run(
                ["bundle", "--output", "x.mcpb"],
                environment: ["HOME": folder.path],
                directory: folder
            )
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("Settings → Extensions"))
            let bytes = try Data(contentsOf: folder.appendingPathComponent("x.mcpb"))
            #expect(bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]), "a zip")
            let refused = try await CommandRun.run(
                ["bundle", "--output", "/nonexistent-folder/x.mcpb"],
                environment: ["HOME": folder.path],
                directory: folder
            )
            #expect(refused.status == 2)
            #expect(refused.stderr.hasPrefix("social-data-mcp: could not write /nonexistent-folder/x.mcpb"))
        }
    }
}
