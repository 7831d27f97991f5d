import Foundation
import Testing

/// A state folder the spend ledger cannot be written to (full, read-only, or not a folder at
/// all): a paid call is refused before anything is sent, since a request the ledger cannot
/// record could pass every limit unseen; free calls still work.
///
/// Permission bits are no test here (root, as in CI containers, writes through them), so the
/// ledger is blocked by what the file system refuses anyone: a state "folder" that is a
/// file, and a month file whose place is taken by a folder.
@Suite("Unwritable ledger end to end") struct UnwritableLedgerEndToEndTests {
    enum Blocked: String, CaseIterable, Sendable {
        case stateFolderIsAFile
        case monthFileIsAFolder

        /// A state folder blocked this way.
        func make() throws -> String {
            let state = try ServerProcess.freshStateDirectory()
            switch self {
            case .stateFolderIsAFile:
                try FileManager.default.removeItem(atPath: state)
                try Data().write(to: URL(fileURLWithPath: state))
            case .monthFileIsAFolder:
                let month = DateFormatter()
                month.dateFormat = "yyyy-MM"
                month.locale = Locale(identifier: "en_US_POSIX")
                try FileManager.default.createDirectory(
                    atPath: state + "/ledger/\(month.string(from: Date())).jsonl",
                    withIntermediateDirectories: true
                )
            }
            return state
        }
    }

    @Test(arguments: Blocked.allCases)
    func aPaidCallIsRefusedAndNothingIsSent(_ blocked: Blocked) async throws {
        let state = try blocked.make()
        try await withHarness(environment: ["SOCIAL_DATA_MCP_STATE_DIR": state]) { harness in
            for index in 0..<3 {
                let paid = try await harness.server.callTool(
                    "datanexus_get_author",
                    ["platform": "douyin", "id": .string("u\(index)")]
                )
                #expect(paid.isToolError, "\(blocked): \(paid.resultText)")
                #expect(paid.resultText.contains("could not be written"), "\(paid.resultText)")
                #expect(paid.resultText.contains("Nothing was sent or charged"), "\(paid.resultText)")
            }
            #expect(harness.upstream.callRequests.isEmpty, "\(blocked): a paid request was sent unrecorded")
            let free = try await harness.server.callTool("datanexus_list_platforms")
            #expect(!free.isToolError, "a free call needs no ledger: \(free.resultText)")
        }
    }
}
