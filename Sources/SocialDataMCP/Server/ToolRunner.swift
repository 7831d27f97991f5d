/// Carries out `tools/call`: validate, quote or refuse, answer from cache or call the
/// provider, record the spend, and write the result.
///
/// The order matters for the user's money: nothing is sent before the arguments are
/// valid and the worst case fits under the ceiling.
public struct ToolRunner: Sendable {
    /// The shared services.
    public let services: ToolServices

    /// Creates a runner.
    public init(services: ToolServices) {
        self.services = services
    }

    /// Runs a call.
    ///
    /// Protocol problems (unknown or hidden tool, arguments not an object) are JSON-RPC
    /// errors; everything else is a tool result the model can read.
    public func call(
        name: String,
        arguments rawArguments: JSONValue?,
        context: CallContext
    ) async -> Result<ToolResult, RPCError> {
        guard let entry = services.catalog.entry(named: name) else {
            if let reason = services.catalog.hiddenReason(name) {
                return .failure(.invalidParams("Tool \(name) is not enabled in this server: \(reason)."))
            }
            return .failure(.invalidParams("Unknown tool: \(name). Call tools/list for the available tools."))
        }
        let given: [String: JSONValue]
        switch rawArguments {
        case nil, .null?: given = [:]
        case .object(let members)?: given = members
        case let other?: return .failure(.invalidParams("\"arguments\" must be an object, got \(other.typeName)"))
        }
        return .success(await run(entry, given: given, context: context))
    }

    private func run(_ entry: ToolCatalog.Entry, given: [String: JSONValue], context: CallContext) async -> ToolResult {
        let tool = entry.tool
        let ledger = services.ledger
        let arguments: [String: JSONValue]
        do {
            arguments = try ArgumentValidator.validate(
                given,
                for: tool,
                environment: services.configuration.environment
            )
        } catch {
            return ResultFormatter.failure(
                "Invalid arguments for \(tool.name): \(error.message)",
                error: [
                    "kind": "invalid_arguments", "argument": error.argument.map { .string($0) } ?? .null,
                    "message": .string(error.message),
                ],
                price: tool.price,
                snapshot: ledger.snapshot()
            )
        }
        for parameter in tool.parameters where parameter.isSecret {
            if let value = arguments[parameter.name]?.stringValue { services.secrets.register(value) }
        }
        if arguments["dry_run"] == .bool(true) {
            return ResultFormatter.quote(
                entry,
                arguments: arguments,
                endpoint: tool.route.endpoint(for: arguments),
                snapshot: ledger.snapshot()
            )
        }
        let invocation = makeInvocation(entry, arguments: arguments, context: context)
        if case .local(let work) = tool.execution {
            let payload = work(invocation)
            return ResultFormatter.success(
                entry,
                arguments: arguments,
                payload: payload,
                charge: ResultFormatter.Charge(cost: .zero(.cny), basis: "free: answered locally"),
                snapshot: ledger.snapshot()
            )
        }

        let cacheKey = tool.isCacheable ? self.cacheKey(tool, arguments) : nil
        let ttl = cacheTTL(entry, arguments)
        var leadKey: String?
        if let cacheKey, ttl > 0 {
            switch await services.cache.claim(cacheKey, maxAge: .seconds(ttl)) {
            case .hit(let hit):
                ledger.recordCacheHit(provider: entry.provider.id, tool: tool.name)
                context.log(
                    .info,
                    hit.isShared
                        ? "\(tool.name): answered with an identical call made at the same time"
                        : "\(tool.name): answered from cache (\(hit.ageSeconds) s old)"
                )
                return ResultFormatter.success(
                    entry,
                    arguments: arguments,
                    payload: hit.payload,
                    charge: ResultFormatter.Charge(
                        cost: .zero(tool.price.currency),
                        basis: hit.isShared ? "shared with an identical call made at the same time" : "cache hit",
                        cachedAgeSeconds: hit.ageSeconds,
                        isShared: hit.isShared
                    ),
                    snapshot: ledger.snapshot()
                )
            case .lead:
                leadKey = cacheKey
            case .fetchAlone:
                break
            }
        }
        let (result, payload) = await fetch(entry, invocation: invocation, arguments: arguments, context: context)
        // Identical calls waiting on this one get its answer (or, after a failure, fetch themselves).
        let size = payload.map { $0.data.jsonBytes.count } ?? 0
        if let leadKey {
            services.cache.complete(leadKey, payload: payload, size: size, store: true)
        } else if let cacheKey, let payload, services.configuration.cacheTTL > 0 {
            services.cache.store(cacheKey, payload: payload, size: size)
        }
        return result
    }

    /// Admits, sends and records one call; the payload is returned only on success, for the cache.
    private func fetch(
        _ entry: ToolCatalog.Entry,
        invocation: ToolInvocation,
        arguments: [String: JSONValue],
        context: CallContext
    ) async -> (ToolResult, UpstreamPayload?) {
        let tool = entry.tool
        let ledger = services.ledger
        let reservation: SpendLedger.Reservation
        switch ledger.admit(currency: tool.price.currency, worstCase: tool.price.worstCase(for: arguments)) {
        case .success(let admitted): reservation = admitted
        case .failure(let refusal):
            return (
                ResultFormatter.refusal(entry, arguments: arguments, refusal: refusal, snapshot: ledger.snapshot()), nil
            )
        }

        var payload: UpstreamPayload
        do {
            switch tool.execution {
            case .custom(let flow): payload = try await flow(invocation)
            default: payload = try await invocation.fetch()
            }
        } catch {
            if case .missingConfiguration = error.kind {
                ledger.cancel(reservation)
            } else {
                ledger.settle(
                    reservation,
                    provider: entry.provider.id,
                    tool: tool.name,
                    cost: nil,
                    items: 0,
                    unpriced: false,
                    failed: true,
                    balance: nil
                )
            }
            context.log(.warning, "\(tool.name) failed: \(error.kindDescription)")
            return (
                ResultFormatter.failure(
                    error.message,
                    error: error.json,
                    price: tool.price,
                    snapshot: ledger.snapshot()
                ), nil
            )
        }

        payload = Downloads.save(payload)
        let charge = self.charge(tool.price, payload: payload, arguments: arguments, provider: entry.provider)
        ledger.settle(
            reservation,
            provider: entry.provider.id,
            tool: tool.name,
            cost: charge.cost,
            items: ResultFormatter.itemCount(tool.price, data: payload.data) ?? 0,
            unpriced: charge.cost == nil,
            failed: false,
            balance: payload.billing.balance
        )
        let result = ResultFormatter.success(
            entry,
            arguments: arguments,
            payload: payload,
            charge: charge,
            snapshot: ledger.snapshot()
        )
        return (result, payload)
    }

    private func makeInvocation(
        _ entry: ToolCatalog.Entry,
        arguments: [String: JSONValue],
        context: CallContext
    ) -> ToolInvocation {
        let budget =
            services.configuration.timeout.map { Int($0.components.seconds) }
            ?? entry.tool.timeoutSeconds ?? entry.provider.defaultTimeoutSeconds
        return ToolInvocation(
            tool: entry.tool,
            provider: entry.provider,
            arguments: arguments,
            services: services,
            context: context,
            deadline: services.clock.now + .seconds(budget),
            budgetSeconds: budget
        )
    }

    /// Same tool, same arguments (the server's own controls left out): same answer.
    private func cacheKey(_ tool: ToolDefinition, _ arguments: [String: JSONValue]) -> String {
        let upstreamArguments = arguments.filter { name, _ in tool.parameter(named: name)?.location != .local }
        return tool.name + "\u{0}" + JSONValue.object(upstreamArguments).jsonText
    }

    /// The freshness the call accepts: `max_age` when given, else the TTL, longer for
    /// data the provider only updates daily.
    private func cacheTTL(_ entry: ToolCatalog.Entry, _ arguments: [String: JSONValue]) -> Int {
        let configured = services.configuration.cacheTTL
        guard configured > 0 else { return 0 }
        if let maxAge = arguments["max_age"]?.intValue { return maxAge }
        return entry.provider.isDailyData ? max(configured, 3_600) : configured
    }

    /// What the call cost, from the price and what came back.
    private func charge(
        _ price: Price,
        payload: UpstreamPayload,
        arguments: [String: JSONValue],
        provider: Provider
    ) -> ResultFormatter.Charge {
        switch price {
        case .free(let why):
            return ResultFormatter.Charge(cost: .zero(.cny), basis: "free: \(why)")
        case .perItem(let unitPrice, let unit, _, let counting):
            let count = counting.count(in: payload.data)
            return ResultFormatter.Charge(
                cost: unitPrice.times(count),
                basis: "\(count) \(ResultFormatter.plural(unit, count)) × \(unitPrice.formatted)"
            )
        case .reportedByProvider(let currency, _):
            if let charged = payload.billing.charged {
                return ResultFormatter.Charge(cost: charged, basis: "as reported by \(provider.name)")
            }
            return ResultFormatter.Charge(cost: .zero(currency), basis: "\(provider.name) reported no charge")
        case .undisclosed:
            return ResultFormatter.Charge(
                cost: nil,
                basis: "billed by \(provider.name) at your plan's rate, which it does not publish"
            )
        }
    }
}
