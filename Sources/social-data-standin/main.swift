import Foundation
import LoopbackStandIn

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

// The providers' stand-in for the interop suite and the benchmark.
//   social-data-standin serve           prints {"port":…,"base_urls":{…}} and serves until stdin closes;
//                                       /__standin/hostile?mode=… switches to a hostile answer (HostileUpstream);
//                                       /__standin/requests?path=TEXT counts the requests whose path has TEXT
//   social-data-standin fetch URL COUNT  COUNT sequential keep-alive URLSession GETs: the benchmark's floor
let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "serve":
    // GET /__standin/requests?path=TEXT answers {"count": N}: the requests so far whose path
    // contains TEXT (never counted itself), so a test can check what was sent upstream.
    let hostile = HostileUpstream().handler
    let seen = SeenPaths()
    let server = try LoopbackServer { request in
        guard request.path == "/__standin/requests" else {
            seen.add(request.decodedPath)
            return hostile(request)
        }
        return .json(200, ["count": seen.count(containing: request.query["path"] ?? "")])
    }
    let announcement: [String: Any] = [
        "port": server.port, "base_urls": DocumentedResponses.baseURLs(server.baseURL()),
    ]
    let data = try JSONSerialization.data(
        withJSONObject: announcement,
        options: [.sortedKeys, .withoutEscapingSlashes]
    )
    FileHandle.standardOutput.write(data + Data("\n".utf8))
    while let _ = readLine() {}
    server.stop()
case "fetch":
    guard arguments.count == 3, let url = URL(string: arguments[1]), let count = Int(arguments[2]) else {
        FileHandle.standardError.write(Data("usage: social-data-standin fetch URL COUNT\n".utf8))
        exit(2)
    }
    let session = URLSession(configuration: .ephemeral)
    var request = URLRequest(url: url)
    request.setValue("dn_live_benchmark_key", forHTTPHeaderField: "X-API-Key")
    let finalRequest = request
    var samples: [Double] = []
    for index in 0..<(count + 20) {
        let start = DispatchTime.now().uptimeNanoseconds
        // The call social-data-mcp's transport makes: a data task with a completion handler.
        let _: Void = try await withCheckedThrowingContinuation { continuation in
            session.dataTask(with: finalRequest) { _, _, error in
                if let error { continuation.resume(throwing: error) } else { continuation.resume() }
            }.resume()
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        if index >= 20 { samples.append(elapsed) }  // the first requests warm the connection up
    }
    samples.sort()
    let result: [String: Any] = [
        "count": samples.count,
        "p50_ms": samples[samples.count / 2],
        "p99_ms": samples[min(samples.count - 1, samples.count * 99 / 100)],
        "mean_ms": samples.reduce(0, +) / Double(samples.count),
    ]
    FileHandle.standardOutput.write(
        try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]) + Data("\n".utf8)
    )
default:
    FileHandle.standardError.write(Data("usage: social-data-standin serve | fetch URL COUNT\n".utf8))
    exit(2)
}

/// The paths the stand-in was asked for, for `/__standin/requests`.
final class SeenPaths: @unchecked Sendable {
    // @unchecked: every access holds `lock`.
    private let lock = NSLock()
    private var paths: [String] = []

    func add(_ path: String) {
        lock.lock()
        defer { lock.unlock() }
        paths.append(path)
    }

    func count(containing text: String) -> Int {
        lock.lock()
        defer { lock.unlock() }
        return paths.filter { text.isEmpty || $0.contains(text) }.count
    }
}
