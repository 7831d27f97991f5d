import Foundation
import Install
import Providers
import Spend
import ToolCall
import Upstream
import Wire

/// `social-data-mcp doctor [--client NAME [--scope S]]`: the settings the server runs with.
///
/// Per provider, the key (masked), base URL, a reachability probe and the tools exposed,
/// then the installed entries; exit 1 when no provider is usable. With `--client`, all of
/// it for that client's entry.
enum DoctorCommand {
    struct Report: Sendable {
        let line: String
        let isUsable: Bool
    }

    static func run(_ invocation: Invocation) async throws -> Int32 {
        // With --client, the settings are the entry's: what the client starts the server with.
        let (environment, entry) = try ClientEntryOption.environment(invocation)
        let redactor = SecretRedactor(
            DoctorEntries.secretValues([environment.values, invocation.environment.values])
        )
        var lines = ["\(ServerIdentity.name) \(ServerIdentity.version) doctor"]
        if let entry, let client = invocation.option("--client").flatMap(MCPClient.named) {
            lines += DoctorEntries.describe(entry, client: client)
        }
        let configuration: Configuration
        do {
            configuration = try ToolServices.configuration(environment)
        } catch {
            // Only an entry can get here (the shell's settings were checked before the
            // command ran): the client's server would exit at once with this message.
            lines.append("The server would not start with these settings: \(error.message)")
            CLI.writeOut(lines.joined(separator: "\n") + "\n", redactor: redactor)
            return 1
        }
        let catalog = try ToolServices.catalog(selection: configuration.selection)
        // In sandbox mode nothing is sent anywhere, the probes included.
        let client: UpstreamClient? =
            configuration.isSandbox
            ? nil : UpstreamClient(transport: URLSessionTransport(), providers: ToolTable.providers)
        let providers = ToolTable.providers
        let reports = await withTaskGroup(of: (Int, Report).self) { group in
            for (position, provider) in providers.enumerated() {
                group.addTask {
                    let exposed = catalog.entries.filter { $0.toolset.id == provider.id }.count
                    return (
                        position,
                        await check(provider, exposed: exposed, environment: configuration.environment, client: client)
                    )
                }
            }
            var collected: [(Int, Report)] = []
            for await report in group { collected.append(report) }
            return collected.sorted { $0.0 < $1.0 }.map(\.1)
        }
        if configuration.isSandbox {
            lines.append(
                "Sandbox mode is on (\(Configuration.sandboxKey.variable)): tools answer with documented sample data; "
                    + "nothing is sent or charged, so no provider is probed."
            )
        }
        lines += reports.map(\.line)
        let usable = reports.filter(\.isUsable).count
        let selection = configuration.selection
        let filters = [
            selection.toolsets.map { "toolsets \($0.joined(separator: ","))" },
            selection.toolNames.map { "tools \($0.joined(separator: ","))" },
            selection.isReadOnly ? "read-only" : nil,
        ].compactMap { $0 }
        lines.append(
            "Exposed: \(catalog.entries.count) tools (\(filters.isEmpty ? "no filters" : filters.joined(separator: "; "))). "
                + "Usable providers: \(configuration.isSandbox ? providers.count : usable) of \(providers.count)."
        )
        if let ceiling = configuration.ceilings[.cny] { lines.append("Spend ceiling: \(ceiling.formatted).") }
        lines.append(configuration.confirmationLine)
        lines += UsageCommand.doctorLines(configuration)
        if entry == nil { lines += DoctorEntries.installed(invocation, shell: invocation.environment) }
        CLI.writeOut(lines.joined(separator: "\n") + "\n", redactor: redactor)
        return usable > 0 || configuration.isSandbox ? 0 : 1
    }

    static func check(
        _ provider: Provider,
        exposed: Int,
        environment: Environment,
        client: UpstreamClient?
    ) async -> Report {
        // The name, then its facts: "DataNexus (datanexus): DATANEXUS_API_KEY dn_l…3c · https://…".
        var parts = ["\(provider.name) (\(provider.id)): "]
        var missing: [String] = []
        if let credential = provider.credential {
            if let key = environment[credential.variable] {
                parts.append("\(credential.variable) \(SecretRedactor.mask(key))")
            } else {
                parts.append("\(credential.variable) not set")
                missing.append(credential.variable)
            }
        }
        for header in provider.environmentHeaders where header.isRequired {
            if environment[header.variable] == nil {
                parts.append("\(header.variable) not set")
                missing.append(header.variable)
            }
        }
        guard let base = provider.resolvedBaseURL(environment) else {
            parts.append("\(provider.baseURL?.variable ?? "base URL") not set (no public host)")
            parts.append("\(exposed) tools")
            return Report(line: parts[0] + parts.dropFirst().joined(separator: " · "), isUsable: false)
        }
        parts.append(base)
        var reachable = false
        if let probe = provider.probe, let client {
            if probe.isAuthenticated, !missing.isEmpty {
                parts.append("not probed (needs \(missing.joined(separator: ", ")))")
            } else if let result = await client.probe(provider, environment: environment) {
                parts.append(result.summary)
                reachable = result.isReachable
            }
        }
        parts.append("\(exposed) tools")
        return Report(
            line: parts[0] + parts.dropFirst().joined(separator: " · "),
            isUsable: missing.isEmpty && reachable
        )
    }
}
