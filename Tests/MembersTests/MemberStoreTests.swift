import Foundation
import Testing
import Wire

@testable import Members

@Suite("Member store")
struct MemberStoreTests {
    private func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("members-\(UUID().uuidString)")
            .appendingPathComponent("state")
    }

    private func mode(_ url: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func addPrintsATokenOnceAndStoresOnlyItsHash() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let store = MemberStore(directory: directory)
        let (member, token) = try store.add("ana", dailyLimitCNY: 1, monthlyLimitCNY: 20, toolsets: ["xiaohongshu"])
        #expect(member.name == "ana")
        #expect(token.hasPrefix("sdm_"))
        #expect(token.count == 4 + 43, "32 bytes as unpadded base64url")
        #expect(token.dropFirst(4).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        let text = try String(contentsOf: store.fileURL, encoding: .utf8)
        #expect(!text.contains(token.dropFirst(4)))
        #expect(text.contains(SHA256.hexDigest(token)))
        #expect(try mode(store.fileURL) == 0o600)
        #expect(try mode(directory) == 0o700)
        #expect(store.authenticate(bearer: token) == member)
        #expect(try store.list() == [member])
    }

    @Test func wrongRemovedAndRotatedTokensAreRefused() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let store = MemberStore(directory: directory)
        let ana = try store.add("ana").token
        let bo = try store.add("bo", dailyLimitCNY: 0.5).token
        #expect(store.authenticate(bearer: bo)?.name == "bo")
        #expect(store.authenticate(bearer: ana + "x") == nil)
        #expect(store.authenticate(bearer: "sdm_") == nil)
        #expect(store.authenticate(bearer: "") == nil)
        // A second store on the same folder stands for a running server while the CLI edits.
        let server = MemberStore(directory: directory)
        #expect(server.authenticate(bearer: ana)?.name == "ana")
        let rotated = try store.rotate("ana")
        #expect(rotated != ana)
        #expect(server.authenticate(bearer: ana) == nil)
        #expect(server.authenticate(bearer: rotated)?.name == "ana")
        #expect(server.authenticate(bearer: rotated)?.rotatedAt != nil)
        try store.remove("bo")
        #expect(server.authenticate(bearer: bo) == nil)
        #expect(try server.list().map(\.name) == ["ana"])
    }

    @Test func mistakesAreRefusedWithoutChangingTheFile() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let store = MemberStore(directory: directory)
        _ = try store.add("ana")
        #expect(throws: MemberStoreError.duplicate("ana")) { try store.add("ana") }
        for name in ["", "-ana", "a b", "ana/..", String(repeating: "a", count: 65), "änna"] {
            #expect(throws: MemberStoreError.invalidName(name)) { try store.add(name) }
        }
        #expect(throws: MemberStoreError.self) { try store.add("bo", dailyLimitCNY: -1) }
        #expect(throws: MemberStoreError.self) { try store.add("bo", monthlyLimitCNY: .nan) }
        #expect(throws: MemberStoreError.notFound("zed")) { try store.remove("zed") }
        #expect(throws: MemberStoreError.notFound("zed")) { try store.rotate("zed") }
        #expect(try store.list().map(\.name) == ["ana"])
    }

    @Test func aDamagedFileAuthenticatesNoOne() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let store = MemberStore(directory: directory)
        let token = try store.add("ana").token
        try Data("{not json".utf8).write(to: store.fileURL)
        #expect(store.authenticate(bearer: token) == nil)
        #expect(throws: MemberStoreError.self) { try store.list() }
    }

    @Test func tokensAreDistinct() {
        let tokens = Set((0..<200).map { _ in MemberStore.newToken() })
        #expect(tokens.count == 200)
    }

    @Test func bearerHeaderParsing() {
        #expect(MemberStore.bearerToken(fromAuthorization: "Bearer sdm_abc") == "sdm_abc")
        #expect(MemberStore.bearerToken(fromAuthorization: "bearer   sdm_abc ") == "sdm_abc")
        #expect(MemberStore.bearerToken(fromAuthorization: "Basic dXNlcjpwYXNz") == nil)
        #expect(MemberStore.bearerToken(fromAuthorization: "Bearer") == nil)
        #expect(MemberStore.bearerToken(fromAuthorization: nil) == nil)
    }

    @Test func constantTimeComparison() {
        #expect(MemberStore.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!MemberStore.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!MemberStore.constantTimeEqual([1, 2, 3], [1, 2]))
    }
}

@Suite("Member limits")
struct MemberLimitTests {
    @Test func updateChangesLimitsKeepsTheTokenAndRefusesANegativeOne() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("members-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = MemberStore(directory: directory)
        let (_, token) = try store.add("ana", dailyLimitCNY: 1)
        let updated = try store.update("ana") { member in
            member.dailyLimitCNY = nil
            member.monthlyLimitCNY = 30
            member.name = "someone-else"
        }
        #expect(updated.name == "ana" && updated.dailyLimitCNY == nil && updated.monthlyLimitCNY == 30)
        #expect(store.authenticate(bearer: token) == updated, "the same token, the new record")
        #expect(throws: MemberStoreError.invalidLimit("monthly yuan limit must be 0 or more")) {
            try store.update("ana") { $0.monthlyLimitCNY = -1 }
        }
        #expect(throws: MemberStoreError.notFound("bo")) { try store.update("bo") { $0.dailyLimitCNY = 1 } }
        #expect(try store.list() == [updated])
    }
}
