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
        let arguments: [String: JSONValue]
        do {
            arguments = try ArgumentValidator.validate(
                given,
                for: tool,
                environment: services.configuration.environment
            )
        } catch {
            return fail(.invalidArguments(tool: tool.name, error), tool)
        }
        for parameter in tool.parameters where parameter.isSecret {
            if let value = arguments[parameter.name]?.stringValue { services.secrets.register(value) }
        }
        // DataNexus prices are "at least ¥0.08": its free price list says what they are now,
        // and the quote, the limits and the ledger use the higher of the two.
        let current = await services.prices.unitPrice(for: tool, arguments: arguments)
        let cost = CallCost(
            price: tool.price,
            arguments: arguments,
            currentUnitPrice: current?.unitPrice,
            isFloorPrice: current?.isFloor ?? false
        )
        if arguments["dry_run"] == .bool(true) {
            return ResultFormatter.quote(
                entry,
                cost: cost,
                endpoint: tool.route.endpoint(for: arguments),
                budget: budget(for: tool)
            )
        }
        let invocation = makeInvocation(entry, arguments: arguments, context: context)
        if case .local(let work) = tool.execution {
            return success(entry, cost, work(invocation), Charge.nothing(.cny, "free: answered locally"))
        }

        let cacheKey = tool.isCacheable ? self.cacheKey(tool, arguments) : nil
        let ttl = cacheTTL(entry, arguments)
        var leadKey: String?
        if let cacheKey, ttl > 0 {
            switch await services.cache.claim(cacheKey, maxAge: .seconds(ttl)) {
            case .hit(let hit):
                services.ledger.recordCacheHit(provider: entry.provider.id, tool: tool.name)
                if tool.price.isPaid {
                    services.sharedLedger.recordCacheHit(tool: tool.name, provider: entry.provider.id)
                }
                context.log(
                    .info,
                    hit.isShared
                        ? "\(tool.name): answered with an identical call made at the same time"
                        : "\(tool.name): answered from cache (\(hit.ageSeconds) s old)"
                )
                var charge = Charge.nothing(
                    tool.price.currency,
                    hit.isShared ? "shared with an identical call made at the same time" : "cache hit"
                )
                charge.cachedAgeSeconds = hit.ageSeconds
                charge.isShared = hit.isShared
                return success(entry, cost, hit.payload, charge)
            case .lead:
                leadKey = cacheKey
            case .fetchAlone:
                break
            }
        }
        let (result, payload) = await fetch(entry, cost: cost, invocation: invocation, context: context)
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
    ///
    /// Both ledgers hold the worst case before anything is sent: this process's (its
    /// ceiling) and the shared one on disk (the daily and monthly limits of every process).
    private func fetch(
        _ entry: ToolCatalog.Entry,
        cost: CallCost,
        invocation: ToolInvocation,
        context: CallContext
    ) async -> (ToolResult, UpstreamPayload?) {
        let tool = entry.tool
        if isSandbox { return await sample(entry, cost: cost, invocation: invocation) }
        let ledger = services.ledger
        let reservation: SpendLedger.Reservation
        switch ledger.admit(currency: cost.currency, worstCase: cost.worstCase) {
        case .success(let admitted): reservation = admitted
        case .failure(let refusal):
            return (fail(.refused(refusal, provider: entry.provider.name, cost: cost), tool), nil)
        }
        var hold: DurableLedger.Hold?
        if tool.price.isPaid {
            let admission: Result<DurableLedger.Hold, ToolFailure>
            do {
                admission = try services.sharedLedger.admit(
                    cost,
                    tool: tool.name,
                    provider: entry.provider.id,
                    argumentsHash: argumentsHash(tool, cost.arguments)
                ).mapError { .refused($0, provider: entry.provider.name, cost: cost) }
            } catch {
                admission = .failure(.ledgerUnavailable(error))
            }
            switch admission {
            case .success(let admitted): hold = admitted
            case .failure(let failure):
                ledger.cancel(reservation)
                return (fail(failure, tool), nil)
            }
        }

        var payload: UpstreamPayload
        do {
            switch tool.execution {
            case .custom(let flow): payload = try await flow(invocation)
            default: payload = try await invocation.fetch()
            }
        } catch {
            let failure = ToolFailure.upstream(error)
            // A failure the provider may still have billed (a 502, a reset after sending, a
            // timeout) counts at the worst case: the limits must hold even then.
            var charge = Charge.nothing(cost.currency, "nothing charged: the call failed")
            if error.possibleCharge != nil {
                charge = Charge(
                    cost: cost.worstCase,
                    basis: "the provider may have charged for this failed call; counted at the worst case "
                        + "(`social-data-mcp usage` lists it; check the provider's balance)"
                )
            }
            if failure.reachedProvider {
                let settlement = cost.settlement(
                    of: charge,
                    provider: entry.provider.id,
                    tool: tool.name,
                    failed: true,
                    balance: nil
                )
                ledger.settle(reservation, settlement)
                if let hold { try? services.sharedLedger.settle(hold, settlement) }
            } else {
                ledger.cancel(reservation)
                if let hold { try? services.sharedLedger.release(hold) }
            }
            context.log(.warning, "\(tool.name) failed: \(error.kindDescription)")
            return (fail(failure, tool, charge: charge), nil)
        }

        payload = Downloads.save(payload)
        let charge = cost.charge(for: payload, provider: entry.provider.name)
        let settlement = cost.settlement(
            of: charge,
            provider: entry.provider.id,
            tool: tool.name,
            failed: false,
            balance: payload.billing.balance
        )
        ledger.settle(reservation, settlement)
        if let hold {
            // Flushed before the result is written: a crash after this loses nothing.
            do {
                try services.sharedLedger.settle(hold, settlement)
            } catch {
                payload.notes.append(
                    "This call's cost could not be written to the spend ledger at \(error.path) (\(error.reason)); "
                        + "its hold still counts at the worst case."
                )
            }
        }
        return (success(entry, cost, payload, charge), payload)
    }

    /// Sandbox mode: the provider's documented example, labelled as such, settled nowhere
    /// (nothing was sent, so nothing can have been charged).
    private func sample(
        _ entry: ToolCatalog.Entry,
        cost: CallCost,
        invocation: ToolInvocation
    ) async -> (ToolResult, UpstreamPayload?) {
        var payload: UpstreamPayload
        do {
            switch entry.tool.execution {
            case .custom(let flow): payload = try await flow(invocation)
            default: payload = try await invocation.fetch()
            }
        } catch {
            return (fail(.upstream(error), entry.tool), nil)
        }
        Sandbox.label(&payload, tool: entry.tool, arguments: cost.arguments)
        var charge = Charge.nothing(cost.currency, "sandbox: sample data, nothing charged")
        charge.items = cost.itemCount(in: payload.data) ?? 0
        services.ledger.record(
            cost.settlement(of: charge, provider: entry.provider.id, tool: entry.tool.name, failed: false, balance: nil)
        )
        return (success(entry, cost, payload, charge), payload)
    }

    private var isSandbox: Bool { Sandbox.isOn(services.configuration.environment) }

    private func success(
        _ entry: ToolCatalog.Entry,
        _ cost: CallCost,
        _ payload: UpstreamPayload,
        _ charge: Charge
    )
        -> ToolResult
    {
        ResultFormatter.success(
            entry,
            cost: cost,
            payload: payload,
            charge: charge,
            budget: budget(for: entry.tool),
            savedResults: services.savedResults
        )
    }

    private func fail(_ failure: ToolFailure, _ tool: ToolDefinition, charge: Charge? = nil) -> ToolResult {
        ResultFormatter.failure(failure, currency: tool.price.currency, charge: charge, budget: budget(for: tool))
    }

    /// The budget as results show it; the shared ledger is read for paid tools only, so
    /// free tools never touch the disk.
    private func budget(for tool: ToolDefinition) -> BudgetView {
        BudgetView(
            process: services.ledger.snapshot(),
            shared: tool.price.isPaid && !isSandbox ? services.sharedLedger.status() : nil
        )
    }

    /// A hash of the arguments that reach the provider, secrets left out, so the ledger
    /// can tell calls apart without holding a cookie (FNV-1a, 64 bits).
    private func argumentsHash(_ tool: ToolDefinition, _ arguments: [String: JSONValue]) -> String {
        let kept = arguments.filter { name, _ in
            guard let parameter = tool.parameter(named: name) else { return false }
            return parameter.location != .local && !parameter.isSecret
        }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in JSONValue.object(kept).jsonBytes {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
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
}
