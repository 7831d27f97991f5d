import Foundation
import SocialDataMCPTesting
import Spend
import Testing
import Wire

@testable import ToolCall

/// What the ask-first stage adds to a paid call that does not ask.
///
/// A measurement, not a test: it asserts nothing about time and runs only when asked for:
///
///     SOCIAL_DATA_MCP_BENCH=1 swift test --skip-build --filter ConfirmStageBenchmark
///
/// The same paid call under the threshold (¥1.60 against ¥5), in sandbox mode so nothing
/// but the pipeline is timed (no network, no ledger), in alternating rounds with the stage
/// deciding (threshold ¥5) and with it passing at once (`none`).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["SOCIAL_DATA_MCP_BENCH"] == "1"))
struct ConfirmStageBenchmark {
    private func runner(_ threshold: String) throws -> ToolRunner {
        let (configuration, transport) = try Sandbox.wiring(
            try Configuration(
                environment: Environment([
                    "SOCIAL_DATA_MCP_SANDBOX": "1", "SOCIAL_DATA_MCP_CACHE_TTL": "0",
                    "SOCIAL_DATA_MCP_CONFIRM_ABOVE_CNY": threshold,
                    "SOCIAL_DATA_MCP_STATE_DIR": ScratchStateDirectory.make(),
                ])
            )
        )
        return ToolRunner(services: try ToolServices(configuration: configuration, transport: transport))
    }

    @Test func addedLatencyOfACallThatDoesNotAsk() async throws {
        let deciding = try runner("5")
        let off = try runner("none")
        let arguments: JSONValue = ["platform": "xiaohongshu", "keyword": "美妆", "page_size": 20]
        var samples: [String: [Double]] = ["deciding": [], "off": []]
        let clock = ContinuousClock()
        for round in 0..<40 {
            for (name, runner) in round.isMultiple(of: 2)
                ? [("deciding", deciding), ("off", off)] : [("off", off), ("deciding", deciding)]
            {
                let elapsed = try await clock.measure {
                    for _ in 0..<250 {
                        let result = try await runner.call(
                            name: "datanexus_list_authors",
                            arguments: arguments,
                            context: CallContext()
                        ).get()
                        if result.isError { throw BenchmarkFailure(text: result.text) }
                    }
                }
                samples[name, default: []].append(
                    (Double(elapsed.components.seconds) * 1_000_000 + Double(elapsed.components.attoseconds) / 1e12)
                        / 250
                )
            }
        }
        let median = { (values: [Double]) in values.sorted()[values.count / 2] }
        let decidingMicros = median(samples["deciding"] ?? [0])
        let offMicros = median(samples["off"] ?? [0])
        print(
            String(
                format:
                    "ConfirmStage, a paid call under the threshold: %.2f µs with the stage deciding, %.2f µs with it off, "
                    + "%.2f µs added (median of 40 rounds of 250 calls)",
                decidingMicros,
                offMicros,
                decidingMicros - offMicros
            )
        )
    }

    /// A per-item quote (no ledger read), and a provider-priced tool whose worst case is
    /// its documented ¥3.00 (the stage reads what other processes wrote to the ledger).
    static let calls: [(tool: String, arguments: [String: JSONValue])] = [
        ("datanexus_list_authors", ["platform": "xiaohongshu", "keyword": "美妆", "page_size": 20]),
        ("datatrust_get_model", ["id": "1"]),
    ]

    /// The stage alone: `handle` on a call under the threshold whose next stage answers at once.
    ///
    /// Measured against a stage that only calls next.
    @Test(arguments: 0..<2) func theStageAloneOnACallThatDoesNotAsk(_ index: Int) async throws {
        let (tool, arguments) = Self.calls[index]
        let configuration = try Configuration(
            environment: Environment(["SOCIAL_DATA_MCP_STATE_DIR": ScratchStateDirectory.make()])
        )
        let services = try ToolServices(
            configuration: configuration,
            transport: StubTransport { _ in StubTransport.json([:]) }
        )
        let entry = try #require(ToolServices.entries.first { $0.tool.name == tool })
        var call = PendingCall(
            entry: entry,
            provider: nil,
            given: arguments,
            context: CallContext(),
            cost: CallCost(price: entry.tool.price, arguments: arguments)
        )
        call.arguments = arguments
        let stage = ConfirmStage(
            thresholds: configuration.confirmAbove,
            tokens: ConfirmationTokens(clock: SystemClock()),
            spend: services.spend,
            isSandbox: false
        )
        let next: NextStage = { call in .quoted(call.cost) }
        let clock = ContinuousClock()
        var added: [Double] = []
        for _ in 0..<40 {
            let deciding = try await clock.measure {
                for _ in 0..<10_000 {
                    guard case .quoted = await stage.handle(call, next: next) else {
                        throw BenchmarkFailure(text: "asked")
                    }
                }
            }
            let passing = await clock.measure {
                for _ in 0..<10_000 { _ = await next(call) }
            }
            added.append((Self.microseconds(deciding) - Self.microseconds(passing)) / 10_000)
        }
        print(
            "ConfirmStage alone, a \(tool) call that does not ask: "
                + String(format: "%.3f", added.sorted()[added.count / 2])
                + " µs added per call (median of 40 rounds of 10,000)"
        )
    }

    private static func microseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1_000_000 + Double(duration.components.attoseconds) / 1e12
    }

    private struct BenchmarkFailure: Error { let text: String }
}
