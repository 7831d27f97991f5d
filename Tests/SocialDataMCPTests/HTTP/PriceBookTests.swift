import Catalog
import Foundation
import Locking
import Providers
import Testing
import Upstream
import Wire

/// A pricing endpoint that answers every request with `reply` and records the paths asked.
private final class PricingEndpoint: HTTPTransport {
    let reply: Result<HTTPResponse, TransportError>
    let paths = Locked<[String]>([])

    init(_ reply: Result<HTTPResponse, TransportError>) {
        self.reply = reply
    }

    static func json(_ status: Int, _ text: String) -> PricingEndpoint {
        PricingEndpoint(.success(HTTPResponse(status: status, headers: [:], body: Array(text.utf8))))
    }

    func send(_ request: HTTPRequest, timeout: Duration) async throws(TransportError) -> HTTPResponse {
        paths.withLock { $0.append(request.url.path) }
        return try reply.get()
    }
}

@Suite struct PriceBookTests {
    static let environment = Environment([
        "DATANEXUS_BASE_URL": "http://127.0.0.1:9/dn", "DATANEXUS_API_KEY": "dn_live_unit",
    ])

    /// A book reading through an upstream client over `endpoint`, one attempt per read so
    /// that the reads can be counted (retries are the upstream client's own tests).
    static func book(_ endpoint: some HTTPTransport, environment: Environment = environment) -> PriceBook {
        var policy = RetryPolicy()
        policy.maximumAttempts = 1
        let client = UpstreamClient(transport: endpoint, providers: [DataNexus.provider], policy: policy)
        return PriceBook(client: client, environment: environment)
    }

    static func tool(_ name: String) throws -> ToolDefinition {
        try #require(DataNexus.toolset.tools.first { $0.name == name })
    }

    @Test func aPriceAboveTheFloorIsUsedAndReadOnce() async throws {
        let endpoint = PricingEndpoint.json(200, #"{"success":true,"data":{"platform":"douyin","unit_price":0.12}}"#)
        let book = Self.book(endpoint)
        let first = await book.unitPrice(
            for: try Self.tool("datanexus_list_authors"),
            arguments: ["platform": "douyin"]
        )
        let second = await book.unitPrice(for: try Self.tool("datanexus_get_work"), arguments: ["platform": "douyin"])
        #expect(first == PriceBook.Quote(unitPrice: .yuan(0.12), isFloor: false))
        #expect(second == first)
        #expect(endpoint.paths.withLock { $0 } == ["/dn/api/v1/billing/pricing/douyin"])
    }

    @Test func aPriceBelowTheDocumentedMinimumIsRaisedToIt() async {
        let endpoint = PricingEndpoint.json(200, #"{"success":true,"data":{"unit_price":"0.05"}}"#)
        let quote = await Self.book(endpoint).quote(platform: "kuaishou")
        #expect(quote == PriceBook.Quote(unitPrice: PriceBook.floor, isFloor: false))
    }

    @Test(arguments: [
        PricingEndpoint.json(200, #"{"success":true,"data":{"unit_price":1e300}}"#),
        PricingEndpoint.json(200, #"{"success":true,"data":{"unit_price":"1e15"}}"#),
        PricingEndpoint.json(500, "<html>bad gateway</html>"),
        PricingEndpoint.json(200, #"{"success":true,"data":null}"#),
        PricingEndpoint(.failure(.cannotConnect("refused"))),
    ])
    fileprivate func anUnreadablePriceIsTheFloorAndIsReadAgainNextTime(_ endpoint: PricingEndpoint) async {
        let book = Self.book(endpoint)
        let quote = await book.quote(platform: "xiaohongshu")
        #expect(quote == PriceBook.Quote(unitPrice: PriceBook.floor, isFloor: true))
        _ = await book.quote(platform: "xiaohongshu")
        #expect(endpoint.paths.withLock { $0.count } == 2)
    }

    @Test func concurrentCallersShareOneRead() async {
        let endpoint = PricingEndpoint.json(200, #"{"success":true,"data":{"unit_price":0.1}}"#)
        let book = Self.book(endpoint)
        let quotes = await withTaskGroup(of: PriceBook.Quote.self) { group in
            for _ in 0..<10 { group.addTask { await book.quote(platform: "channels") } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(quotes.map(\.unitPrice)) == [.yuan(0.1)])
        #expect(endpoint.paths.withLock { $0.count } == 1)
    }

    @Test func onlyDataNexusPerItemPlatformToolsArePriced() async throws {
        let endpoint = PricingEndpoint.json(200, #"{"success":true,"data":{"unit_price":0.1}}"#)
        let book = Self.book(endpoint)
        let image = await book.unitPrice(for: try Self.tool("datanexus_generate_image"), arguments: ["prompt": "猫"])
        let free = await book.unitPrice(for: try Self.tool("datanexus_get_pricing"), arguments: ["platform": "douyin"])
        let geo = try #require(GEO.toolset.tools.first)
        let other = await book.unitPrice(for: geo, arguments: ["platform": "douyin"])
        #expect(image == nil && free == nil && other == nil)
        #expect(endpoint.paths.withLock { $0.isEmpty })
    }

    @Test func withoutAKeyNothingIsLookedUp() async throws {
        let endpoint = PricingEndpoint.json(200, #"{"success":true,"data":{"unit_price":0.2}}"#)
        let book = Self.book(endpoint, environment: Environment(["DATANEXUS_BASE_URL": "http://127.0.0.1:9/dn"]))
        #expect(await book.quote(platform: "douyin") == PriceBook.Quote(unitPrice: PriceBook.floor, isFloor: true))
        #expect(endpoint.paths.withLock { $0 }.isEmpty, "a call without a key fails before any request")
    }
}
