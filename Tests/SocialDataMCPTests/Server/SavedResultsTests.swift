import Catalog
import Foundation
import Locking
import Testing
import ToolCall
import Wire

/// Saved results at rest: private modes, redacted, bounded, and served only from a
/// descriptor that was checked to be a regular file directly in the results folder.
struct SavedResultsTests {
    static let key = "dn_live_unit_secret_key_0001"
    static let cookie = "sessionid=0f1e2d3c4b5a69788796a5b4c3d2e1f0; ttwid=1%7Cabcdef012345"

    static func freshState() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("saved-\(UUID().uuidString)").path
        // The state folder does not exist yet: the store creates it.
        return path + "/state"
    }

    static func mode(_ path: String) -> mode_t {
        var status = stat()
        return lstat(path, &status) == 0 ? status.st_mode & 0o777 : 0
    }

    @Test func aReferenceIsAURIAnIdOrAPathInTheFolderAndNothingElse() throws {
        let state = try Self.freshState()
        let store = SavedResults(stateDirectory: state)
        let saved = try store.save(["rows": [1]], tool: "t")
        let id = String(saved.name.dropLast(".json".count))
        for reference in [saved.uri, saved.name, id, saved.path] {
            #expect(store.uri(forReference: reference) == saved.uri, "\(reference)")
            #expect(store.uri(forReference: reference).flatMap { store.read($0) } != nil)
        }
        for outside in [
            "../ledger.json", "/etc/passwd", state + "/ledger.json", store.directory + "/../x.json",
            SavedResults.scheme + "../x.json", "a/b.json", ".hidden.json", "", "x\u{0}.json",
        ] {
            #expect(store.uri(forReference: outside).flatMap { store.read($0) } == nil, "\(outside)")
        }
    }

    @Test func theStateAndResultsFoldersAre0700AndEachResult0600() throws {
        let state = try Self.freshState()
        let store = SavedResults(stateDirectory: state)
        let saved = try store.save(["rows": [1, 2, 3]], tool: "t")
        #expect(Self.mode(state) == 0o700)
        #expect(Self.mode(store.directory) == 0o700)
        #expect(Self.mode(saved.path) == 0o600)
    }

    @Test func aLooseResultsFolderIsTightenedAndAStricterStateFolderKept() throws {
        let state = try Self.freshState()
        try FileManager.default.createDirectory(atPath: state + "/results", withIntermediateDirectories: true)
        chmod(state + "/results", 0o755)
        chmod(state, 0o500 | 0o200)
        let store = SavedResults(stateDirectory: state)
        let saved = try store.save(["rows": [1]], tool: "t")
        #expect(Self.mode(store.directory) == 0o700)
        #expect(Self.mode(state) == 0o700)
        #expect(Self.mode(saved.path) == 0o600)
    }

    @Test func everySpellingOfASecretIsRedactedBeforeItIsSaved() throws {
        let redactor = SecretRedactor([Self.key, Self.cookie])
        let store = SavedResults(stateDirectory: try Self.freshState(), redactor: redactor)
        let echoed: [String] = [
            Self.key, "0f1e2d3c4b5a69788796a5b4c3d2e1f0", "1%7Cabcdef012345",
            Data(Self.key.utf8).base64EncodedString(),
        ]
        let saved = try store.save(["echo": .array(echoed.map { .string($0) })], tool: "t")
        let text = try #require(store.read(saved.uri)).map { Character(Unicode.Scalar($0)) }
        for secret in echoed { #expect(!String(text).contains(secret)) }
    }

    @Test func aResultLargerThanTheFolderBoundIsRefusedWithTheReason() throws {
        let store = SavedResults(stateDirectory: try Self.freshState(), maximumBytes: 1000)
        #expect(throws: SavedResults.Refusal.self) {
            try store.save(["blob": .string(String(repeating: "x", count: 2000))], tool: "t")
        }
        do {
            _ = try store.save(["blob": .string(String(repeating: "x", count: 2000))], tool: "t")
        } catch {
            #expect("\(error)".contains("more than the 1000 bytes the results folder holds"))
        }
        #expect(store.list().isEmpty, "nothing was written")
        #expect(try store.save(["small": 1], tool: "t").bytes < 1000)
    }

    @Test(arguments: [
        "x%00.json", "x\u{0}.json", "x\n.json", "x\u{1B}[2J.json", "x\u{7F}.json", "../x.json", "a/b.json", ".x.json",
        "x.json\u{0}", "x.txt", "",
    ])
    func aURIWithAControlCharacterOrAnEscapeIsRefused(_ name: String) throws {
        #expect(SavedResults.name(in: SavedResults.scheme + name) == nil)
    }

    @Test func aSymbolicLinkOrAHardLinkInTheFolderIsNeverServed() throws {
        let state = try Self.freshState()
        let store = SavedResults(stateDirectory: state)
        let saved = try store.save(["rows": [1]], tool: "t")
        let outside = state + "/outside.json"
        try Data("{\"secret\":\"outside\"}".utf8).write(to: URL(fileURLWithPath: outside))
        symlink(outside, store.directory + "/1-link-1.json")
        link(outside, store.directory + "/1-hard-1.json")
        #expect(store.read(SavedResults.scheme + "1-link-1.json") == nil)
        #expect(store.read(SavedResults.scheme + "1-hard-1.json") == nil)
        #expect(store.read(saved.uri) == Array("{\"rows\":[1]}".utf8))
    }

    /// A saved result swapped for a symbolic link to a file outside, back and forth,
    /// while it is read thousands of times: the outside content never comes back.
    @Test func aSwapRaceNeverServesTheFileOutside() throws {
        let state = try Self.freshState()
        let store = SavedResults(stateDirectory: state)
        let saved = try store.save(["inside": true], tool: "t")
        let outside = state + "/outside.json"
        try Data("{\"secret\":\"outside\"}".utf8).write(to: URL(fileURLWithPath: outside))
        let inside = state + "/inside.json"
        try Data("{\"inside\":true}".utf8).write(to: URL(fileURLWithPath: inside))
        let link = store.directory + "/.swap-link"
        let copy = store.directory + "/.swap-copy"
        let stopping = Locked(false)
        let stopped = DispatchSemaphore(value: 0)
        let swapper = Thread {
            // Alternately rename a symlink to outside and a real file over the saved result.
            while !stopping.withLock({ $0 }) {
                symlink(outside, link)
                rename(link, saved.path)
                try? FileManager.default.copyItem(atPath: inside, toPath: copy)
                rename(copy, saved.path)
            }
            stopped.signal()
        }
        swapper.start()
        var served = 0
        var leaked = 0
        for _ in 0..<4000 {
            guard let bytes = store.read(saved.uri) else { continue }
            served += 1
            if String(decoding: bytes, as: UTF8.self).contains("outside") { leaked += 1 }
        }
        stopping.withLock { $0 = true }
        stopped.wait()
        #expect(leaked == 0, "the file outside was served \(leaked) times")
        #expect(served > 0, "the real file was served when it was in place")
    }

    @Test func downloadsGoUnderTheStateFolderPrivateAndRedacted() throws {
        let state = try Self.freshState()
        let redactor = SecretRedactor([Self.key])
        let downloads = Downloads(stateDirectory: state, redactor: redactor)
        var payload = UpstreamPayload(data: .null)
        payload.file = DownloadedFile(
            bytes: Array("header,\(Self.key)\n".utf8),
            mediaType: "text/csv",
            suggestedName: "../export.csv"
        )
        let saved = downloads.save(payload)
        let path = try #require(saved.data["saved_to"]?.stringValue)
        #expect(path.hasPrefix(state + "/downloads/"))
        #expect((path as NSString).deletingLastPathComponent == state + "/downloads", "one name, no path")
        #expect(Self.mode(state + "/downloads") == 0o700)
        #expect(Self.mode(path) == 0o600)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains(Self.key))
    }
}
