import Catalog
import Spend
import Upstream
import Wire

/// Answers an identical read from the cache, from an identical call running at the
/// same time, or from the disk cache another server process (or this one) filled;
/// otherwise lets the call through and keeps its answer in both.
struct CacheStage: CallStage {
    let cache: ResponseCache
    /// The cache shared by every process of the user (`nil`: this process only).
    let disk: DiskResponseCache?
    let spend: SpendGuard
    /// The configured time to live in seconds; 0 turns the cache off.
    let configuredTTL: Int
    /// The settings, for the provider's base URL in the disk key.
    let environment: Environment
    /// Whether answers are samples: they are kept apart from live ones on disk.
    let isSandbox: Bool
    /// The wall clock, for ages on disk (another process's clock instants mean nothing here).
    let clock: any ServerClock

    func handle(_ call: PendingCall, next: @escaping NextStage) async -> CallOutcome {
        guard call.tool.isCacheable else { return await next(call) }
        let key = cacheKey(call)
        let ttl = timeToLive(call)
        guard ttl > 0 else {
            let outcome = await next(call)
            if configuredTTL > 0, case .data(let payload, _, _) = outcome { store(key, payload, call) }
            return outcome
        }
        switch await cache.claim(key, maxAge: .seconds(ttl)) {
        case .hit(let hit):
            spend.recordCacheHit(tool: call.tool, provider: call.providerID)
            call.context.log(
                .info,
                hit.isShared
                    ? "\(call.tool.name): answered with an identical call made at the same time"
                    : "\(call.tool.name): answered from cache (\(hit.ageSeconds) s old)"
            )
            var charge = Charge.nothing(
                call.tool.price.currency,
                hit.isShared ? "shared with an identical call made at the same time" : "cache hit"
            )
            charge.cachedAgeSeconds = hit.ageSeconds
            charge.isShared = hit.isShared
            return .data(hit.payload, charge: charge, cost: call.cost)
        case .lead:
            if let hit = diskHit(call, ttl: ttl) {
                cache.complete(key, payload: hit.payload, size: hit.payload.data.jsonBytes.count, store: true)
                return diskOutcome(hit, call)
            }
            let outcome = await next(call)
            switch outcome {
            case .data(let payload, _, _):
                // Identical calls waiting on this one get its answer.
                cache.complete(key, payload: payload, size: payload.data.jsonBytes.count, store: true)
                disk?.store(diskKey(call), payload: payload, now: clock.currentDate())
            case .failed(.upstream(let error), _) where error.kind == .cancelled:
                // Its client went away before anything was sent: one of the others fetches for all.
                cache.handOver(key)
            default:
                // After a failure each waiting call fetches for itself.
                cache.complete(key, payload: nil, size: 0, store: false)
            }
            return outcome
        case .fetchAlone:
            if let hit = diskHit(call, ttl: ttl) { return diskOutcome(hit, call) }
            let outcome = await next(call)
            if case .data(let payload, _, _) = outcome { store(key, payload, call) }
            return outcome
        }
    }

    private func store(_ key: String, _ payload: UpstreamPayload, _ call: PendingCall) {
        cache.store(key, payload: payload, size: payload.data.jsonBytes.count)
        disk?.store(diskKey(call), payload: payload, now: clock.currentDate())
    }

    private func diskHit(_ call: PendingCall, ttl: Int) -> DiskResponseCache.Hit? {
        disk?.lookup(diskKey(call), maxAgeSeconds: ttl, now: clock.currentDate())
    }

    /// A read answered from disk: free, said so, and recorded as a cache hit in the ledger.
    private func diskOutcome(_ hit: DiskResponseCache.Hit, _ call: PendingCall) -> CallOutcome {
        spend.recordCacheHit(tool: call.tool, provider: call.providerID)
        call.context.log(
            .info,
            "\(call.tool.name): answered from the disk cache shared by every server process (\(hit.ageSeconds) s old)"
        )
        var charge = Charge.nothing(
            call.tool.price.currency,
            "answered from cache (on disk, shared by every server process of this user), fetched \(hit.ageSeconds) s ago"
        )
        charge.cachedAgeSeconds = hit.ageSeconds
        return .data(hit.payload, charge: charge, cost: call.cost)
    }

    /// The disk key: where the answer came from (sandbox samples never answer a live call,
    /// nor one provider address another's), then the in-memory key.
    private func diskKey(_ call: PendingCall) -> String {
        let origin = isSandbox ? "sandbox" : call.provider?.resolvedBaseURL(environment) ?? ""
        return origin + "\u{0}" + cacheKey(call)
    }

    /// Same tool, same arguments (the server's own controls left out): same answer.
    private func cacheKey(_ call: PendingCall) -> String {
        let upstreamArguments = call.arguments.filter { name, _ in
            call.tool.parameter(named: name)?.location != .local
        }
        return call.tool.name + "\u{0}" + JSONValue.object(upstreamArguments).jsonText
    }

    /// The freshness the call accepts: `max_age` when given, else the TTL, longer for data
    /// the provider only updates daily.
    private func timeToLive(_ call: PendingCall) -> Int {
        guard configuredTTL > 0 else { return 0 }
        if let maxAge = call.arguments["max_age"]?.intValue { return maxAge }
        return call.provider?.isDailyData == true ? max(configuredTTL, 3_600) : configuredTTL
    }
}
