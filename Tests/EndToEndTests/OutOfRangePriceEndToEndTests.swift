import Foundation
import LoopbackStandIn
import Testing
import Wire

/// DataNexus's free price endpoint answers numbers no price can be, through the real binary.
///
/// 1e15, "1e300", a negative one: the server stays up and charges the documented floor, as
/// PriceBookTests checks of the price book alone. The price read is the first upstream answer
/// a paid DataNexus call meets, and once one of these trapped the process.
@Suite("Out-of-range price end to end") struct OutOfRangePriceEndToEndTests {
    @Test(arguments: ["1e15", #""1e300""#, "1e300", "-1000", "9223372036854775808"])
    func anAbsurdPriceIsTheFloorAndTheServerStaysUp(_ price: String) async throws {
        let body = #"{"success":true,"data":{"platform":"douyin","unit_price":\#(price)}}"#
        let upstream = Upstream.answering { request in
            if request.isPriceListRead {
                return StubResponse(status: 200, headers: ["Content-Type": "application/json"], body: Array(body.utf8))
            }
            return DocumentedResponses.respond(request)
        }
        try await withHarness(environment: ["SOCIAL_DATA_MCP_DAILY_LIMIT_CNY": "100"], upstream: upstream) { harness in
            for index in 0..<2 {
                let result = try await harness.server.callTool(
                    "datanexus_get_author",
                    ["platform": "douyin", "id": .string("p\(index)")]
                )
                #expect(!result.isToolError, "\(price): \(result.resultText)")
            }
            let usage = try await harness.server.callTool("social_data_usage")
            #expect(!usage.isToolError, "the server is still alive")
            let today = usage["structuredContent"]?["data"]?["all_processes"]?["today_cny"]
            #expect(today?["spent"] == 0.16, "two calls at the ¥0.08 floor: \(String(describing: today))")
            #expect(today?["remaining"] == 99.84)
        }
    }
}
