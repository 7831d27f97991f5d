import Foundation

/// `social-data-mcp doctor`: per provider, the key (masked), base URL, a reachability
/// probe and the tools exposed; exit 1 when no provider is usable.
enum DoctorCommand {
    struct Report: Sendable {
        let line: String
        let isUsable: Bool
    }

    static func run(_ invocation: Invocation) async throws -> Int32 {
        let configuration = try invocation.configuration()
        let catalog = try invocation.catalog()
        let transport = URLSessionTransport()
        let providers = ToolTable.providers.filter { $0.id != SocialDataServer.id }
        let reports = await withTaskGroup(of: (Int, Report).self) { group in
            for (position, provider) in providers.enumerated() {
                group.addTask {
                    let exposed = catalog.entries.filter { $0.provider.id == provider.id }.count
                    return (
                        position,
                        await check(
                            provider,
                            exposed: exposed,
                            environment: configuration.environment,
                            transport: transport
                        )
                    )
                }
            }
            var collected: [(Int, Report)] = []
            for await report in group { collected.append(report) }
            return collected.sorted { $0.0 < $1.0 }.map(\.1)
        }
        var lines = ["\(ServerIdentity.name) \(ServerIdentity.version) doctor"]
        if Sandbox.isOn(configuration.environment) {
            lines.append(
                "Sandbox mode is on (\(Sandbox.key.variable)): tools answer with documented sample data; nothing is sent or charged."
            )
        }
        lines += reports.map(\.line)
        let usable = reports.filter(\.isUsable).count
        let filters = [
            configuration.toolsets.map { "toolsets \($0.joined(separator: ","))" },
            configuration.toolNames.map { "tools \($0.joined(separator: ","))" },
            configuration.isReadOnly ? "read-only" : nil,
        ].compactMap { $0 }
        lines.append(
            "Exposed: \(catalog.entries.count) tools (\(filters.isEmpty ? "no filters" : filters.joined(separator: "; "))). "
                + "Usable providers: \(usable) of \(providers.count)."
        )
        if let ceiling = configuration.ceilings[.cny] { lines.append("Spend ceiling: \(ceiling.formatted).") }
        lines += UsageCommand.doctorLines(configuration)
        CLI.writeOut(lines.joined(separator: "\n") + "\n")
        return usable > 0 ? 0 : 1
    }

    static func check(
        _ provider: Provider,
        exposed: Int,
        environment: Environment,
        transport: some HTTPTransport
    ) async -> Report {
        var parts = ["\(provider.name) (\(provider.id)):"]
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
            return Report(line: parts.joined(separator: " · "), isUsable: false)
        }
        parts.append(base)
        var reachable = false
        if let probe = provider.probe {
            if probe.isAuthenticated, !missing.isEmpty {
                parts.append("not probed (needs \(missing.joined(separator: ", ")))")
            } else {
                let (text, ok) = await self.probe(
                    probe,
                    provider: provider,
                    base: base,
                    environment: environment,
                    transport: transport
                )
                parts.append(text)
                reachable = ok
            }
        }
        parts.append("\(exposed) tools")
        return Report(line: parts.joined(separator: " · "), isUsable: missing.isEmpty && reachable)
    }

    static func probe(
        _ probe: Probe,
        provider: Provider,
        base: String,
        environment: Environment,
        transport: some HTTPTransport
    ) async -> (String, Bool) {
        var headers = ["Accept": "application/json", "User-Agent": "social-data-mcp/\(ServerIdentity.version) doctor"]
        if probe.isAuthenticated {
            try? RequestBuilder.authenticate(&headers, provider: provider, environment: environment)
        }
        var body: [UInt8]?
        if let json = probe.body {
            body = json.jsonBytes
            headers["Content-Type"] = "application/json"
        }
        guard let url = URL(string: base + probe.endpoint.path) else { return ("invalid base URL", false) }
        let started = ContinuousClock.now
        let label = "\(probe.endpoint.method.rawValue) \(probe.endpoint.path)"
        do {
            let response = try await transport.send(
                HTTPRequest(method: probe.endpoint.method, url: url, headers: headers, body: body),
                timeout: .seconds(5)
            )
            let milliseconds = Int((ContinuousClock.now - started).seconds * 1000)
            let ok = response.status < 500 && response.status != 401 && response.status != 403
            return ("\(label) → HTTP \(response.status) in \(milliseconds) ms\(ok ? "" : " (check the key)")", ok)
        } catch {
            return ("\(label) → unreachable (\(error))", false)
        }
    }
}
