import Foundation
import Install
import SocialDataMCPTesting
import Testing

@Suite struct ConfigBackupsTests {
    /// Installs in quick succession fall in one second: after the oldest of that second
    /// were deleted, a new backup must still sort as the newest (it once reused a freed
    /// number and was the next one deleted).
    @Test func backupsMadeInOneSecondKeepTheNewestThreeInOrder() throws {
        let folder = ScratchStateDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/mcp.json"
        var made: [String] = []
        for index in 1...7 {
            made.append(try ConfigBackups.make(of: path, text: "{\"n\": \(index)}\n"))
        }
        let kept = ConfigBackups.list(of: path)
        let texts = try kept.map { try String(contentsOfFile: $0, encoding: .utf8) }
        // The seven may straddle a second boundary; either way the newest three are kept, oldest first.
        #expect(texts == ["{\"n\": 5}\n", "{\"n\": 6}\n", "{\"n\": 7}\n"])
        #expect(kept == Array(made.suffix(3)))
    }
}
