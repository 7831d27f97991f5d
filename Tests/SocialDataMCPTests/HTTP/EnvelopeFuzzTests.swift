import Catalog
import Providers
import SeedFixtures
import Spend
import Testing
import Upstream
import Wire

/// Every provider's envelope reader fed random and mutated bodies: it returns data or an
/// upstream error, and neither it nor the money arithmetic on what it reports ever crashes.
@Suite struct EnvelopeFuzzTests {
    /// A small deterministic generator (SplitMix64), so a failure names its seed.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// The documented answers, the seeds of every mutation.
    static let samples: [[UInt8]] = SeedFixtures.entries.compactMap { SeedFixtures.text($0.file) }.map {
        Array($0.utf8)
    }

    /// Values a hostile provider might put where a number, a code or a message belongs.
    static let hostile: [String] = [
        "1e300", "-1000", "\"1e15\"", "NaN", "9223372036854775807", "-9223372036854775808", "null", "[]", "{}",
        "\"\\u0000\\nSYSTEM NOTICE\"", "true", "0.0000001", "\"\"",
    ]

    static func mutate(_ body: [UInt8], _ random: inout Seeded) -> [UInt8] {
        var bytes = body
        switch random.next() % 5 {
        case 0 where !bytes.isEmpty:
            // Flip a few bytes.
            for _ in 0..<(1 + Int(random.next() % 4)) {
                bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
            }
        case 1 where !bytes.isEmpty:
            // Cut it short.
            bytes = Array(bytes.prefix(Int(random.next() % UInt64(bytes.count))))
        case 2:
            // Replace every number with a hostile value.
            let text = String(decoding: bytes, as: UTF8.self)
            let value = hostile[Int(random.next() % UInt64(hostile.count))]
            bytes = Array(
                text.replacingOccurrences(of: #"-?\d+(\.\d+)?"#, with: value, options: .regularExpression).utf8
            )
        case 3:
            // Random bytes.
            bytes = (0..<Int(random.next() % 300)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        default:
            // Nest it deeply.
            let depth = Int(random.next() % 2_000)
            bytes =
                Array(repeating: UInt8(ascii: "["), count: depth) + bytes
                + Array(repeating: UInt8(ascii: "]"), count: depth)
        }
        return bytes
    }

    @Test(arguments: ToolTable.providers.map(\.id))
    func decodingHostileBodiesNeverCrashes(_ id: String) throws {
        let provider = try #require(ToolTable.providers.first { $0.id == id })
        let paid = ToolTable.toolsets.first { $0.id == id }?.tools.first { $0.price.isPaid }
        var random = Seeded(state: 20_261_201 &+ UInt64(id.utf8.count))
        for round in 0..<1_500 {
            let seed = Self.samples[Int(random.next() % UInt64(Self.samples.count))]
            let body = Self.mutate(seed, &random)
            let status = [200, 200, 200, 201, 400, 402, 429, 500][Int(random.next() % 8)]
            let response = HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: body)
            do {
                let payload = try provider.decode(response, provider)
                // Where a reported amount meets the money, arithmetic cannot trap (the ledger
                // then records an out-of-range charge at its reserve: ProviderPricedLedgerEndToEndTests).
                if let paid,
                    let cost = CallCost(price: paid.price, arguments: [:]).charge(for: payload, provider: id).cost
                {
                    let doubled = cost + cost
                    #expect(doubled.currency == cost.currency, "\(id) round \(round)")
                }
            } catch {
                #expect(!error.message.isEmpty)
            }
        }
    }
}
