import Foundation
import Locking
import Wire

/// The built `social-data-mcp` binary running as a child process, talked to over real
/// pipes exactly as an MCP client does.
///
/// Every line the server writes is kept; `assertWireClean()` checks that stdout held
/// nothing but JSON-RPC messages. When `SOCIAL_DATA_MCP_WIRE_DIR` is set, both
/// directions are also written there for the schema validator (`Tests/Interop/validate_wire.py`).
final class ServerProcess: Sendable {
    struct Timeout: Error, CustomStringConvertible {
        let description: String
    }

    private struct Waiter {
        let token: Int
        let matches: @Sendable (JSONValue) -> Bool
        let continuation: CheckedContinuation<JSONValue, any Error>
    }

    private struct State {
        var stdoutLines: [String] = []
        var messages: [JSONValue] = []
        var consumed: Set<Int> = []
        var waiters: [Waiter] = []
        var stderr = ""
        var nextToken = 0
        var nextID = 1
        var transcript: [String] = []
    }

    let process: ChildProcess
    private let input: FileHandle
    private let state = Locked(State())
    private let readers = DispatchGroup()
    /// Called with `true` when the process exits (set before it starts, so no exit is missed).
    private let exitWaiters = Locked<[@Sendable (Bool) -> Void]>([])
    let name: String

    /// The path of the binary under test: `SOCIAL_DATA_MCP_BIN`, else beside the test runner.
    static var binaryPath: String {
        if let explicit = ProcessInfo.processInfo.environment["SOCIAL_DATA_MCP_BIN"] { return explicit }
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = runner.deletingLastPathComponent()
        // Swift Testing may run from inside the .xctest bundle directory.
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("social-data-mcp")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate.path }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
                ".build/debug/social-data-mcp"
            ).path
    }

    /// A new empty folder for one server's state.
    static func freshStateDirectory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "social-data-mcp-state-\(UUID().uuidString)",
            isDirectory: true
        )
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// Starts the server with exactly `environment` (nothing inherited but PATH and HOME).
    init(environment: [String: String], arguments: [String] = [], name: String = #function) throws {
        self.name = name
        var childEnvironment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": NSTemporaryDirectory(),
        ]
        // Its own ledger and saved results, unless the test shares one between processes:
        // the spend of one test must never count against another's limits.
        childEnvironment["SOCIAL_DATA_MCP_STATE_DIR"] = try ServerProcess.freshStateDirectory()
        childEnvironment.merge(environment) { _, new in new }
        let process = try ChildProcess(
            path: ServerProcess.binaryPath,
            arguments: arguments,
            environment: childEnvironment
        )
        process.onExit { [exitWaiters] _ in
            for resume in exitWaiters.withLock({ $0 }) { resume(true) }
        }
        self.process = process
        input = process.standardInput
        read(process.standardOutput.fileDescriptor) { [self] line in received(line) }
        read(process.standardError.fileDescriptor) { [self] line in
            state.withLock { $0.stderr += line + "\n" }
        }
    }

    private func read(_ descriptor: Int32, onLine: @escaping @Sendable (String) -> Void) {
        readers.enter()
        let thread = Thread { [readers] in
            var pending: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                pending.append(contentsOf: chunk[0..<count])
                while let newline = pending.firstIndex(of: 0x0A) {
                    onLine(String(decoding: pending[..<newline], as: UTF8.self))
                    pending.removeFirst(newline + 1)
                }
            }
            if !pending.isEmpty { onLine(String(decoding: pending, as: UTF8.self)) }
            readers.leave()
        }
        thread.start()
    }

    private func received(_ line: String) {
        let message = try? JSONParser.parse(line)
        let ready: [(CheckedContinuation<JSONValue, any Error>, JSONValue)] = state.withLock { state in
            state.stdoutLines.append(line)
            state.transcript.append(ServerProcess.transcriptLine("out", line))
            guard let message else { return [] }
            let index = state.messages.count
            state.messages.append(message)
            guard let position = state.waiters.firstIndex(where: { $0.matches(message) }) else { return [] }
            let waiter = state.waiters.remove(at: position)
            state.consumed.insert(index)
            return [(waiter.continuation, message)]
        }
        for (continuation, message) in ready { continuation.resume(returning: message) }
    }

    private static func transcriptLine(_ direction: String, _ line: String) -> String {
        JSONValue.object(["dir": .string(direction), "line": .string(line)]).jsonText
    }

    // MARK: Sending

    /// Writes one line (a newline is added).
    func sendLine(_ line: String) {
        state.withLock { $0.transcript.append(ServerProcess.transcriptLine("in", line)) }
        input.write(Data((line + "\n").utf8))
    }

    /// Writes raw bytes as they are.
    func sendBytes(_ bytes: [UInt8]) {
        input.write(Data(bytes))
    }

    /// Sends a message.
    func send(_ message: JSONValue) { sendLine(message.jsonText) }

    /// A fresh request id.
    func nextID() -> Int {
        state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
    }

    /// Sends a request and waits for its response.
    func request(
        _ method: String,
        _ params: JSONValue? = nil,
        timeout: Duration = .seconds(20)
    ) async throws -> JSONValue {
        let id = nextID()
        var message: [String: JSONValue] = ["jsonrpc": "2.0", "id": .int(id), "method": .string(method)]
        if let params { message["params"] = params }
        send(.object(message))
        return try await response(to: .int(id), timeout: timeout)
    }

    /// Waits for the response to `id`.
    func response(to id: JSONValue, timeout: Duration = .seconds(20)) async throws -> JSONValue {
        try await message(timeout: timeout, "response to \(id.jsonText)") { $0["id"] == id && $0["method"] == nil }
    }

    /// The legacy handshake; returns the `initialize` result.
    @discardableResult
    func initialize(version: String = "2025-11-25", capabilities: JSONValue = [:]) async throws -> JSONValue {
        let response = try await request(
            "initialize",
            [
                "protocolVersion": .string(version), "capabilities": capabilities,
                "clientInfo": ["name": "e2e", "version": "1"],
            ]
        )
        send(["jsonrpc": "2.0", "method": "notifications/initialized"])
        return response
    }

    /// Calls a tool (after `initialize`) and returns the `CallToolResult`.
    func callTool(
        _ name: String,
        _ arguments: JSONValue = [:],
        meta: JSONValue? = nil,
        timeout: Duration = .seconds(20)
    ) async throws -> JSONValue {
        var params: [String: JSONValue] = ["name": .string(name), "arguments": arguments]
        if let meta { params["_meta"] = meta }
        let response = try await request("tools/call", .object(params), timeout: timeout)
        guard let result = response["result"] else {
            throw Timeout(description: "tools/call \(name) failed: \(response.jsonText)")
        }
        return result
    }

    // MARK: Waiting

    /// Waits for the first not-yet-consumed message that matches.
    func message(
        timeout: Duration = .seconds(20),
        _ what: String = "message",
        where matches: @escaping @Sendable (JSONValue) -> Bool
    ) async throws -> JSONValue {
        let token = state.withLock { state in
            defer { state.nextToken += 1 }
            return state.nextToken
        }
        return try await withCheckedThrowingContinuation { continuation in
            let existing: JSONValue? = state.withLock { state in
                for (index, message) in state.messages.enumerated()
                where !state.consumed.contains(index) && matches(message) {
                    state.consumed.insert(index)
                    return message
                }
                state.waiters.append(Waiter(token: token, matches: matches, continuation: continuation))
                return nil
            }
            if let existing {
                continuation.resume(returning: existing)
                return
            }
            // The deadline is a timer, not a sleeping task: it fails the waiter if the
            // message has not come by then, and finds nothing to do if it has.
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout.inSeconds) { [self] in
                let waiter = state.withLock { state -> Waiter? in
                    guard let position = state.waiters.firstIndex(where: { $0.token == token }) else { return nil }
                    return state.waiters.remove(at: position)
                }
                waiter?.continuation.resume(
                    throwing: Timeout(description: "timed out after \(timeout) waiting for \(what); stderr:\n\(stderr)")
                )
            }
        }
    }

    // MARK: Inspecting

    /// Every line written to stdout so far.
    var stdoutLines: [String] { state.withLock { $0.stdoutLines } }

    /// Every message parsed from stdout so far.
    var messages: [JSONValue] { state.withLock { $0.messages } }

    /// Everything written to stderr so far.
    var stderr: String { state.withLock { $0.stderr } }

    /// Stdout lines that are not JSON-RPC 2.0 messages (should always be empty).
    var malformedStdoutLines: [String] {
        stdoutLines.filter { line in
            guard let message = try? JSONParser.parse(line), message["jsonrpc"] == "2.0" else { return true }
            let hasID = message["id"] != nil
            // The only request the server sends is elicitation/create (asking before spending).
            if let method = message["method"]?.stringValue { return hasID && method != "elicitation/create" }
            if let error = message["error"] {
                return !(error["code"]?.intValue != nil && error["message"]?.stringValue != nil && hasID)
            }
            return !(message["result"]?.objectValue != nil && RequestID(message["id"] ?? .null) != nil)
        }
    }

    // MARK: Ending

    /// Closes stdin (the MCP shutdown signal).
    func closeInput() {
        try? input.close()
    }

    /// Waits up to `timeout` for the process to exit; returns its status, or `nil`.
    func waitForExit(timeout: Duration = .seconds(5)) async -> Int32? {
        let exited = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let once = Locked(false)
            let resume: @Sendable (Bool) -> Void = { value in
                let first = once.withLock { done in
                    defer { done = true }
                    return !done
                }
                if first { continuation.resume(returning: value) }
            }
            exitWaiters.withLock { $0.append(resume) }
            if !process.isRunning { resume(true) }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout.inSeconds) { resume(false) }
        }
        guard exited, !process.isRunning else { return nil }
        readers.wait()
        return process.terminationStatus
    }

    /// Stops the process and writes the transcript for the wire validator.
    func stop() async {
        closeInput()
        if await waitForExit(timeout: .seconds(3)) == nil {
            kill(process.processIdentifier, SIGTERM)
            _ = await waitForExit(timeout: .seconds(2))
        }
        writeTranscript()
    }

    private func writeTranscript() {
        guard let directory = ProcessInfo.processInfo.environment["SOCIAL_DATA_MCP_WIRE_DIR"] else { return }
        let lines = state.withLock { $0.transcript }
        let safeName = name.filter { $0.isLetter || $0.isNumber }
        let url = URL(fileURLWithPath: directory).appendingPathComponent(
            "swift-\(safeName)-\(process.processIdentifier).jsonl"
        )
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try? Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
    }
}

extension Duration {
    /// The duration in seconds, for `DispatchTime`.
    fileprivate var inSeconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
