import Foundation
import Testing
import Wire

@Suite("registry-entry command")
struct RegistryEntryEndToEndTests {
    @Test func writesOnePackagePerBundleWithItsDigest() async throws {
        try await withTemporaryDirectory { folder in
            try Data("abc".utf8).write(to: folder.appendingPathComponent("one-linux-x86_64.mcpb"))
            try Data().write(to: folder.appendingPathComponent("two-darwin-arm64.mcpb"))
            let base = "https://github.com/acme/social-data-mcp/releases/download/v\(ServerIdentity.version)/"
            let result = try await CommandRun.run(
                [
                    "registry-entry", "--mcpb", "one-linux-x86_64.mcpb", "--mcpb", "two-darwin-arm64.mcpb",
                    "--base-url", base, "--output", "server.json",
                ],
                environment: ["HOME": folder.path],
                directory: folder
            )
            #expect(result.status == 0, "\(result.stderr)")
            let text = try String(contentsOf: folder.appendingPathComponent("server.json"), encoding: .utf8)
            let entry = try JSONParser.parse(Array(text.utf8))
            #expect(entry["name"] == "io.github.acme/social-data-mcp")
            let packages = try #require(entry["packages"]?.arrayValue)
            #expect(
                packages.map { $0["identifier"] } == [
                    .string(base + "one-linux-x86_64.mcpb"), .string(base + "two-darwin-arm64.mcpb"),
                ]
            )
            // sha256("abc") and sha256(""), as sha256sum prints them.
            #expect(
                packages.map { $0["fileSha256"] } == [
                    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                ]
            )
        }
    }

    @Test func refusesWhatItCannotDescribe() async throws {
        try await withTemporaryDirectory { folder in
            try Data("x".utf8).write(to: folder.appendingPathComponent("a.mcpb"))
            let cases: [([String], String)] = [
                (["--base-url", "https://github.com/acme/x/releases/download/v1"], "--mcpb FILE"),
                (
                    ["--mcpb", "missing.mcpb", "--base-url", "https://github.com/acme/x/releases/download/v1"],
                    "cannot read"
                ),
                (["--mcpb", "a.mcpb", "--base-url", "http://github.com/acme/x/releases/download/v1"], "HTTPS"),
                (["--mcpb", "a.mcpb", "--base-url", "https://example.com/files"], "--repository OWNER/NAME"),
                (["--mcpb", "a.mcpb", "--base-url", "https://example.com/f", "--repository", "a/b/c"], "OWNER/NAME"),
            ]
            for (arguments, message) in cases {
                let result = try await CommandRun.run(
                    ["registry-entry"] + arguments,
                    environment: ["HOME": folder.path],
                    directory: folder
                )
                #expect(result.status == 2, "\(arguments)")
                #expect(result.stdout.isEmpty)
                #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            }
        }
    }
}
