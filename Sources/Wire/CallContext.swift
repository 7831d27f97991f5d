import Locking

/// The MCP log levels (RFC 5424 severities), least severe first.
public enum LogLevel: String, Sendable, CaseIterable, Comparable {
    /// Debug detail.
    case debug
    /// Normal operation worth knowing (a retry, a cache hit).
    case info
    /// Significant but normal.
    case notice
    /// Something to look at.
    case warning
    /// A failure.
    case error
    /// A component failure.
    case critical
    /// Act now.
    case alert
    /// Unusable.
    case emergency

    /// Orders levels by severity.
    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool {
        let order = LogLevel.allCases
        return order.firstIndex(of: lhs) ?? 0 < order.firstIndex(of: rhs) ?? 0
    }
}

/// Where a call's log lines go: stderr always, and `notifications/message` when the
/// client asked for that level.
public struct CallLog: Sendable {
    private let sink: @Sendable (LogLevel, String) -> Void

    /// Creates a log that hands each line to `sink`.
    public init(_ sink: @escaping @Sendable (LogLevel, String) -> Void) {
        self.sink = sink
    }

    /// A log that drops everything.
    public static let silent = CallLog { _, _ in }

    /// Logs a line.
    public func callAsFunction(_ level: LogLevel, _ message: String) { sink(level, message) }
}

/// Sends `notifications/progress` for one request, keeping `progress` strictly
/// increasing as the spec requires.
public final class ProgressReporter: Sendable {
    private let token: JSONValue
    private let send: @Sendable (JSONValue) -> Void
    private let last = Locked<Double>(-1)

    /// Creates a reporter for the request's `progressToken`.
    public init(token: JSONValue, send: @escaping @Sendable (JSONValue) -> Void) {
        self.token = token
        self.send = send
    }

    /// Reports progress; a value not above the last one is dropped.
    public func report(_ progress: Double, total: Double? = nil, message: String? = nil) {
        let isNew = last.withLock { last in
            guard progress > last else { return false }
            last = progress
            return true
        }
        guard isNew else { return }
        var params: [String: JSONValue] = ["progressToken": token, "progress": .double(progress)]
        if let total { params["total"] = .double(total) }
        if let message { params["message"] = .string(message) }
        send(JSONRPC.notification(method: "notifications/progress", params: .object(params)))
    }
}

/// What a tool call may use besides its arguments: progress, logging, and a way to ask
/// the user when the client declared one.
public struct CallContext: Sendable {
    /// Progress for the caller's token, when it gave one.
    public let progress: ProgressReporter?
    /// The call's log.
    public let log: CallLog
    /// How to ask the user (form-mode elicitation); `nil` when the client cannot.
    public let asking: UserAsking?

    /// Creates a context.
    public init(progress: ProgressReporter? = nil, log: CallLog = .silent, asking: UserAsking? = nil) {
        self.progress = progress
        self.log = log
        self.asking = asking
    }
}
