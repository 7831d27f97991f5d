import CLI
import Foundation
import MCPBundle
import Providers
import Testing
import ToolCall

@Suite("bundle manifest and zip")
struct BundleManifestTests {
    let manifest = BundleManifest.manifest(platform: .darwin)

    @Test func everySettingReachesTheServerThroughEnv() throws {
        let userConfig = try #require(manifest["user_config"]?.objectValue)
        let env = try #require(manifest["server"]?["mcp_config"]?["env"]?.objectValue)
        #expect(userConfig.count == env.count)
        for setting in BundleManifest.settings {
            #expect(env[setting.variable] == .string("${user_config.\(setting.key)}"))
            #expect(userConfig[setting.key]?["required"] == false)
            #expect(userConfig[setting.key]?["sensitive"] == .bool(setting.isSensitive))
        }
    }

    @Test func promptsComeFromThePromptTableWithPlaceholdersForTheirArguments() throws {
        let prompts = try #require(manifest["prompts"]?.arrayValue)
        #expect(prompts.compactMap { $0["name"]?.stringValue } == PromptTable.prompts.map(\.name))
        for prompt in prompts {
            let text = prompt["text"]?.stringValue ?? ""
            for argument in prompt["arguments"]?.arrayValue ?? [] {
                #expect(text.contains("${arguments.\(argument.stringValue ?? "?")}"), "\(prompt["name"] ?? nil)")
            }
        }
    }

    @Test func keysAndTheCookieAreSensitiveAndComeFromTheTable() {
        let secret = Set(ToolServices.settings.filter(\.isSecret).map(\.variable))
        let sensitive = Set(BundleManifest.settings.filter(\.isSensitive).map(\.variable))
        #expect(sensitive == secret)
        let variables = Set(BundleManifest.settings.map(\.variable))
        for provider in ToolTable.providers {
            if let credential = provider.credential { #expect(variables.contains(credential.variable)) }
        }
        #expect(variables.isSuperset(of: ["CREATIVAULT_USER_IDENTITY", "CREATIVAULT_BASE_URL"]))
        #expect(variables.isSuperset(of: BundleManifest.spendLimitVariables))
    }

    @Test func toolsArePlatformAndEntryPointAreDeclared() {
        #expect(manifest["tools"]?.arrayValue?.count == ToolServices.entries.count)
        #expect(manifest["tools"]?.arrayValue?.first?["name"] == .string(ToolServices.entries.first?.tool.name ?? ""))
        #expect(manifest["compatibility"]?["platforms"] == ["darwin"])
        #expect(BundleManifest.manifest(platform: .linux)["compatibility"]?["platforms"] == ["linux"])
        #expect(manifest["server"]?["entry_point"] == "server/social-data-mcp")
        #expect(manifest["server"]?["mcp_config"]?["command"] == "${__dirname}/server/social-data-mcp")
        #expect(manifest["manifest_version"] == "0.3")
    }

    @Test func theBundledLicenseIsTheRepositorysLicense() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        #expect(
            try String(contentsOf: root.appendingPathComponent("LICENSE"), encoding: .utf8) == BundleArchive.license
        )
    }

    @Test func crc32MatchesTheStandardCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
    }

    @Test func zipRecordsEachEntrysModeAndCountsThem() throws {
        var zip = ZipWriter()
        zip.add(.init(path: "a.txt", data: Array("hello".utf8)))
        zip.add(.init(path: "bin/run", data: [0, 1, 2], mode: 0o755))
        let bytes = try zip.archive()
        #expect(bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]))
        // End of central directory: 22 bytes at the end, entry counts at offsets 8 and 10.
        let end = Array(bytes.suffix(22))
        #expect(end.starts(with: [0x50, 0x4B, 0x05, 0x06]))
        #expect(end[8] == 2 && end[10] == 2)
        // The second central record's external attributes: regular file, 0755.
        let records = bytes.indices.filter { bytes[$0...].starts(with: [0x50, 0x4B, 0x01, 0x02]) }
        #expect(records.count == 2)
        let attributes = bytes[(records[1] + 38)..<(records[1] + 42)].reversed().reduce(UInt32(0)) {
            $0 << 8 | UInt32($1)
        }
        #expect(attributes >> 16 == 0o100755)
    }

    @Test(arguments: [0, 1, 300, 70_000])
    func deflatedEntriesInflateWithZlibToTheOriginal(_ size: Int) throws {
        // Text, a long run (matches of 258), and pseudo-random bytes (literals only).
        var generator = SystemRandomNumberGenerator()
        var data = Array(String(repeating: "social-data-mcp bundles ", count: size / 24 + 1).utf8.prefix(size))
        data += [UInt8](repeating: 7, count: size)
        data += (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var zip = ZipWriter()
        zip.add(.init(path: "data.bin", data: data))
        let archive = try zip.archive()
        let script = """
            import io, sys, zipfile
            archive = zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read()))
            sys.stdout.buffer.write(archive.read("data.bin"))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(archive))
        try input.fileHandleForWriting.close()
        let inflated = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(Array(inflated) == data, "zipfile inflates and checks the CRC of what was written")
    }
}
