import Catalog
import Foundation
import Locking
import SocialDataMCPTesting
import Spend
import Testing
import Wire

/// The thresholds' parsing, HMAC's known answers, and the server's own requests to the client.
@Suite struct ConfirmSettingsTests {
    @Test func theYuanThresholdDefaultsToFiveAndNoneTurnsItOff() throws {
        let defaults = try Configuration(environment: Environment([:]))
        #expect(defaults.confirmAbove[.cny] == .yuan(5))
        #expect(defaults.confirmAbove[.credits] == nil)
        let set = try Configuration(
            environment: Environment([
                "SOCIAL_DATA_MCP_CONFIRM_ABOVE_CNY": "none", "SOCIAL_DATA_MCP_CONFIRM_ABOVE_CREDITS": "300",
            ])
        )
        #expect(set.confirmAbove[.cny] == nil)
        #expect(set.confirmAbove[.credits] == Money(300, .credits))
        #expect(set.confirmationLine.contains("above 300 credits"))
        #expect(throws: ConfigurationError.self) {
            try Configuration(environment: Environment(["SOCIAL_DATA_MCP_CONFIRM_ABOVE_CNY": "five"]))
        }
        #expect(Configuration.serverKeys.contains { $0.variable == "SOCIAL_DATA_MCP_CONFIRM_ABOVE_CNY" })
    }

    @Test func hmacMatchesRFC4231() {
        // RFC 4231 test case 2.
        let tag = HMAC.sha256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(HMAC.hex(tag) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        // Test case 6: a key longer than the block is hashed first.
        let long = HMAC.sha256(
            key: [UInt8](repeating: 0xaa, count: 131),
            message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)
        )
        #expect(HMAC.hex(long) == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func aServerRequestEndsWithItsResponseOrItsTimeout() async throws {
        let clock = ManualClock()
        let sent = Locked<[JSONValue]>([])
        let outgoing = OutgoingRequests(send: { message in sent.withLock { $0.append(message) } }, clock: clock)
        async let answered = outgoing.request("elicitation/create", params: [:], timeout: .seconds(60))
        await clock.sleepers(atLeast: 1)
        let id = try #require(sent.withLock { $0.first?["id"] }.flatMap(RequestID.init))
        outgoing.receive(id: .string("not-ours"), result: ["action": "accept"])
        outgoing.receive(id: id, result: ["action": "accept"])
        #expect(await answered?["action"] == "accept")

        async let unanswered = outgoing.request("elicitation/create", params: [:], timeout: .seconds(60))
        await clock.sleepers(atLeast: 1)
        clock.advance(by: .seconds(60))
        #expect(await unanswered == nil)
        #expect(outgoing.pendingCount == 0)
    }
}
