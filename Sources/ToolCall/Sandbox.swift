import Catalog
import Providers
import SeedFixtures
import Spend
import Upstream
import Wire

/// Sandbox mode: every tool answers from the providers' documented examples.
///
/// The examples are built into the binary (`SeedFixtures`), so a new user can try every
/// tool and an agent builder can test a workflow before buying keys. No key is needed,
/// nothing is sent, nothing is charged; the usual argument validation still applies, so a
/// bad call fails as it would for real.
public enum Sandbox {
    /// The host sandbox base URLs point at; nothing resolves it, and nothing is sent to it.
    static let host = "https://sandbox.invalid/"

    /// What stands in for a key or cookie the user has not set.
    static let placeholder = "sandbox-no-key-needed"

    /// The configuration and transport a command runs with: unchanged, or in sandbox mode
    /// every provider pointed at the built-in examples with placeholders for the keys it
    /// would need, so no "missing key" error fires.
    public static func wiring(
        _ configuration: Configuration,
        providers: [Provider] = ToolTable.providers
    ) throws(ConfigurationError) -> (Configuration, any HTTPTransport) {
        guard configuration.isSandbox else { return (configuration, URLSessionTransport()) }
        var overrides: [String: String] = [:]
        for provider in providers {
            if let baseURL = provider.baseURL { overrides[baseURL.variable] = host + provider.id }
            var needed = provider.credential.map { [$0.variable] } ?? []
            needed += provider.environmentHeaders.filter(\.isRequired).map(\.variable)
            needed += provider.otherKeys.filter(\.isSecret).map(\.variable)
            for variable in needed where configuration.environment[variable] == nil {
                overrides[variable] = variable.contains("IDENTITY") ? "sandbox@example.com" : placeholder
            }
        }
        let sandboxed = try Configuration(environment: configuration.environment.merging(overrides))
        return (sandboxed, SandboxTransport(providers: providers))
    }

    /// Labels a sandbox answer in both result forms.
    ///
    /// A note for the text, and `details["sandbox"]` with where the sample came from and
    /// what the real call would have cost (the tool's worst case). The provider's reported
    /// charge and balance are dropped: they belong to the documentation's example.
    public static func label(
        _ payload: inout UpstreamPayload,
        tool: ToolDefinition,
        toolset: Toolset,
        arguments: [String: JSONValue]
    ) {
        let providerName = toolset.name
        var source: SeedFixtures.Entry?
        if let endpoint = tool.route.endpoint(for: arguments) {
            let path = RequestBuilder.expand(endpoint.path, tool: tool, arguments: arguments)
            source = SeedFixtures.response(provider: toolset.id, method: endpoint.method.rawValue, path: path)
        }
        let wouldCost =
            CallCost(price: tool.price, arguments: arguments).worstCase.map { "up to \($0.formatted)" }
            ?? tool.price.sentence
        var sandbox: [String: JSONValue] = [
            "sample_data": true,
            "sent": false,
            "charged": false,
            "would_cost": .string(wouldCost),
        ]
        if let worstCase = CallCost(price: tool.price, arguments: arguments).worstCase {
            sandbox["would_cost_amount"] = .double(worstCase.amount)
            sandbox["currency"] = .string(worstCase.currency.rawValue.uppercased())
        }
        var origin = "sample data"
        if let source {
            sandbox["source"] = .string("\(source.seed) › \(source.section)")
            sandbox["fixture"] = .string(source.file)
            sandbox["documented"] = .bool(source.status == .documented)
            origin =
                source.status == .documented
                ? "sample data from \(providerName)'s documentation (\(source.seed) › \(source.section))"
                : "sample data written for the sandbox (\(providerName)'s documentation shows no example here)"
        }
        // The transport sized the sample to the page asked for; say so, so that repeated
        // items are not taken for the provider's.
        if let size = ["page_size", "size", "per_page", "count"].compactMap({ arguments[$0]?.intValue }).first {
            sandbox["page_items"] = .string("the documented items, repeated or trimmed to the \(size) asked for")
        }
        payload.billing = ProviderBilling()
        payload.details["sandbox"] = .object(sandbox)
        payload.notes.append(
            "SANDBOX: \(origin), not live data. Nothing was sent to \(providerName) and nothing was charged; "
                + "the real call would have cost \(wouldCost)."
        )
    }
}
