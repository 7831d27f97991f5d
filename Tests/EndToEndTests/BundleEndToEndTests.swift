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
            // --force: the binary under test is usually the debug build, which links the
            // toolchain's runtime; scripts/test runs the same check on the shipped binary without it.
            arguments: [
                "python3", Self.checker.path, "--server", ServerProcess.binaryPath, "--skip-schema", "--force",
            ],
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
                ["bundle", "--output", "x.mcpb", "--force"],
                environment: ["HOME": folder.path],
                directory: folder
            )
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("Settings → Extensions"))
            let linkage = try BinaryLinkage(
                binary: Array(try Data(contentsOf: URL(fileURLWithPath: ServerProcess.binaryPath)))
            )
            if linkage.isSelfContained {
                #expect(result.stderr.isEmpty)
            } else {
                #expect(result.stderr.hasPrefix("WARNING: --force:"))
                #expect(result.stderr.contains("libswiftCore.so"))
            }
            let bytes = try Data(contentsOf: folder.appendingPathComponent("x.mcpb"))
            #expect(bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]), "a zip")
            let refused = try await CommandRun.run(
                ["bundle", "--output", "/nonexistent-folder/x.mcpb", "--force"],
                environment: ["HOME": folder.path],
                directory: folder
            )
            #expect(refused.status == 2)
            // After --force's warning, when the binary under test needed it.
            #expect(refused.stderr.contains("social-data-mcp: could not write /nonexistent-folder/x.mcpb"))
        }
    }

    @Test func aBinaryThatNeedsTheToolchainsLibrariesIsRefusedUnlessForced() async throws {
        let bytes = try #require(FileManager.default.contents(atPath: ServerProcess.binaryPath))
        let linkage = try BinaryLinkage(binary: Array(bytes))
        try await withTemporaryDirectory { folder in
            let plain = try await CommandRun.run(
                ["bundle", "--output", "x.mcpb"],
                environment: ["HOME": folder.path],
                directory: folder
            )
            let written = folder.appendingPathComponent("x.mcpb")
            if linkage.isSelfContained {
                // The shipped binary (SOCIAL_DATA_MCP_BIN=.build/release/…), or macOS.
                #expect(plain.status == 0, "\(plain.stderr)")
                #expect(!plain.stderr.contains("WARNING"))
                return
            }
            // The debug build on Linux: libswiftCore.so and Foundation from the toolchain.
            #expect(linkage.toolchainLibraries.contains("libswiftCore.so"))
            #expect(plain.status == 2)
            #expect(plain.stdout.isEmpty)
            #expect(plain.stderr.hasPrefix("social-data-mcp: refusing to bundle /"))
            #expect(plain.stderr.contains("/social-data-mcp: it needs the Swift toolchain's shared libraries"))
            #expect(plain.stderr.contains("libswiftCore.so"))
            #expect(plain.stderr.contains("--force"))
            #expect(!FileManager.default.fileExists(atPath: written.path), "nothing is written when refused")
            // With --force it is written after a warning: bundleWritesWhereItIsTold… checks that.
        }
    }
}
