import Catalog
import Foundation
import SocialDataMCPTesting
import Testing
import Upstream
import Wire

/// The disk cache on its own: ages by the wall clock, names by hash, secrets masked,
/// bounded in bytes with the oldest file evicted first.
@Suite struct DiskResponseCacheTests {
    static let secret = "dn_live_disk_cache_secret_0001"

    @Test func answersWithinMaxAgeOnlyAndNeverRepeatsABill() {
        let cache = DiskResponseCache(stateDirectory: ScratchStateDirectory.make())
        let fetched = Date(timeIntervalSince1970: 1_800_000_000)
        var payload = UpstreamPayload(data: ["a": 1], details: ["request_id": "r1"], notes: ["n"])
        payload.billing = ProviderBilling(charged: .yuan(0.5), balance: .yuan(9))
        cache.store("k", payload: payload, now: fetched)
        let hit = cache.lookup("k", maxAgeSeconds: 60, now: fetched.addingTimeInterval(59))
        #expect(hit?.payload.data == ["a": 1] && hit?.ageSeconds == 59)
        #expect(hit?.payload.details == ["request_id": "r1"] && hit?.payload.notes == ["n"])
        #expect(hit?.payload.billing == ProviderBilling(), "a cached answer never repeats a charge or balance")
        #expect(cache.lookup("k", maxAgeSeconds: 30, now: fetched.addingTimeInterval(59)) == nil, "too old for 30 s")
        #expect(cache.lookup("k", maxAgeSeconds: 0, now: fetched) == nil, "max_age 0 is fresh")
        #expect(cache.lookup("other", maxAgeSeconds: 60, now: fetched) == nil)
    }

    @Test func aFileIsNamedByHashPrivateAndMasked() throws {
        let cache = DiskResponseCache(
            stateDirectory: ScratchStateDirectory.make(),
            redactor: SecretRedactor([Self.secret])
        )
        let key = "datanexus_get_author\u{0}{\"cookie\":\"\(Self.secret)\"}"
        cache.store(key, payload: UpstreamPayload(data: ["echo": .string(Self.secret)]))
        let names = try FileManager.default.contentsOfDirectory(atPath: cache.directory)
        #expect(names == [DiskResponseCache.fileName(key)])
        #expect(names.allSatisfy { !$0.contains(Self.secret) && $0.wholeMatch(of: /[0-9a-f]{64}\.json/) != nil })
        let path = cache.directory + "/" + DiskResponseCache.fileName(key)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains(Self.secret))
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
        #expect(try FileManager.default.attributesOfItem(atPath: cache.directory)[.posixPermissions] as? Int == 0o700)
    }

    @Test func isBoundedInBytesEvictingTheOldestFirst() throws {
        let cache = DiskResponseCache(stateDirectory: ScratchStateDirectory.make(), maximumBytes: 3_000)
        let filler = String(repeating: "x", count: 600)
        for (index, key) in ["a", "b", "c", "d"].enumerated() {
            cache.store(key, payload: UpstreamPayload(data: .string(filler)))
            // Ages as files of different writes would have them (mtimes one minute apart).
            let path = cache.directory + "/" + DiskResponseCache.fileName(key)
            try FileManager.default.setAttributes(
                [.modificationDate: Date(timeIntervalSince1970: 1_800_000_000 + Double(index) * 60)],
                ofItemAtPath: path
            )
        }
        cache.store("e", payload: UpstreamPayload(data: .string(filler)))
        let present = ["a", "b", "c", "d", "e"].filter { cache.lookup($0, maxAgeSeconds: 600) != nil }
        #expect(present == ["b", "c", "d", "e"], "the oldest went: \(present)")
        let total = try FileManager.default.contentsOfDirectory(atPath: cache.directory).reduce(0) { sum, name in
            sum
                + ((try? FileManager.default.attributesOfItem(atPath: cache.directory + "/" + name)[.size] as? Int) ?? 0)
        }
        #expect(total <= 3_000)
        cache.store("huge", payload: UpstreamPayload(data: .string(String(repeating: "y", count: 2_000))))
        #expect(cache.lookup("huge", maxAgeSeconds: 600) == nil, "an answer over a quarter of the bound is not kept")
    }

    /// The folder is not listed on every store (that made each call slower as the cache
    /// filled), yet what another process wrote is still trimmed within `rescanEvery` stores.
    @Test func filesOtherProcessesWroteAreTrimmedWithinTheRescanInterval() throws {
        let state = ScratchStateDirectory.make()
        let cache = DiskResponseCache(stateDirectory: state, maximumBytes: 20_000)
        cache.store("first", payload: UpstreamPayload(data: "x"))
        // Another process of the user fills the folder past the bound.
        let other = DiskResponseCache(stateDirectory: state, maximumBytes: 1 << 30)
        for index in 0..<10 {
            other.store("other\(index)", payload: UpstreamPayload(data: .string(String(repeating: "o", count: 3_000))))
        }
        let size = {
            try FileManager.default.contentsOfDirectory(atPath: cache.directory).reduce(0) { sum, name in
                sum
                    + ((try? FileManager.default.attributesOfItem(atPath: cache.directory + "/" + name)[.size] as? Int)
                        ?? 0)
            }
        }
        #expect(try size() > 20_000)
        for index in 0..<DiskResponseCache.rescanEvery {
            cache.store("mine\(index)", payload: UpstreamPayload(data: "x"))
        }
        #expect(try size() <= 20_000, "trimmed at the latest on the interval's store")
    }
}
