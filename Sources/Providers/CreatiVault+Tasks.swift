import Catalog
import Wire

/// Waiting for CreatiVault's asynchronous collection tasks: poll the status until the
/// task finishes or the caller's `wait_seconds` ends, with progress notifications, and
/// stop at once when the call is cancelled.
enum CreatiVaultTasks {
    /// The wait before the second poll; each later wait doubles (1, 2, 4, 8 s …), so a
    /// short task is seen finishing soon and a long one is not polled (and billed) every second.
    static let firstPollInterval: Duration = .seconds(1)
    /// The longest wait between two polls.
    static let maximumPollInterval: Duration = .seconds(16)

    /// Statuses after which a task will not change again.
    static let finalStatuses: Set<String> = [
        "completed", "complete", "success", "succeeded", "finished", "done", "failed", "error", "cancelled", "canceled",
        "expired",
    ]

    struct Status {
        let name: String?
        let completed: Int?
        let failed: Int?
        let total: Int?

        init(_ data: JSONValue) {
            name = data["status"]?.stringValue?.lowercased()
            completed = data["completed"]?.intValue
            failed = data["failed"]?.intValue
            total = data["total"]?.intValue
        }

        var isFinal: Bool { name.map { CreatiVaultTasks.finalStatuses.contains($0) } ?? false }
        var done: Int? { completed.map { $0 + (failed ?? 0) } }
    }

    /// Polls the status until the task is final or `wait_seconds` is over; the result
    /// carries the credits of every poll, so the ledger sees what the wait cost.
    static func waitForTask(_ invocation: ToolInvocation) async throws(UpstreamError) -> UpstreamPayload {
        let clock = invocation.clock
        let wait = Duration.seconds(invocation.arguments["wait_seconds"]?.intValue ?? 0)
        let started = clock.now
        let waitEnds = started + wait
        // The wait is on top of the time one status request may take.
        let polling = invocation.withDeadline(waitEnds + .seconds(invocation.budgetSeconds))
        var polls = 0
        var credits: Money?
        var interval = firstPollInterval
        while true {
            polls += 1
            var payload = try await polling.fetch(deadline: clock.now + .seconds(invocation.budgetSeconds))
            if let charged = payload.billing.charged { credits = (credits ?? .zero(.credits)) + charged }
            let status = Status(payload.data)
            let now = clock.now
            let elapsed = Int((now - started).components.seconds)
            report(status, polls: polls, elapsed: elapsed, to: invocation.context.progress)
            if status.isFinal || now >= waitEnds {
                payload.billing.charged = credits
                if polls > 1 {
                    let total = credits.map { " (\($0.formatted) in all)" } ?? ""
                    payload.notes.insert("Polled the status \(polls) times over \(elapsed) s\(total).", at: 0)
                }
                if !status.isFinal, wait > .zero {
                    payload.notes.insert(
                        "Still \(status.name ?? "running") after waiting \(elapsed) s: call creativault_get_task_status again with wait_seconds to keep waiting.",
                        at: 0
                    )
                }
                return payload
            }
            // The last poll lands when the wait ends, not an interval after it.
            do {
                try await clock.sleep(until: min(now + interval, waitEnds))
            } catch {
                throw UpstreamError(.cancelled, provider: invocation.providerName)
            }
            interval = min(interval * 2, maximumPollInterval)
        }
    }

    private static func report(_ status: Status, polls: Int, elapsed: Int, to progress: ProgressReporter?) {
        guard let progress else { return }
        let state = status.name ?? "unknown"
        if let done = status.done, let total = status.total, total > 0 {
            progress.report(
                Double(done),
                total: Double(total),
                message: "\(state): \(done) of \(total) done after \(elapsed) s"
            )
        } else {
            progress.report(Double(polls), message: "\(state) after \(elapsed) s")
        }
    }

    static func present(_ data: JSONValue, _ arguments: [String: JSONValue]) -> Presentation {
        let status = Status(data)
        guard let name = status.name else { return Presentation() }
        var line = "Task \(arguments["task_id"]?.stringValue ?? ""): \(name)"
        if let completed = status.completed, let total = status.total {
            line += ", \(completed) of \(total) collected"
            if let failed = status.failed, failed > 0 { line += ", \(failed) failed" }
        }
        line += status.isFinal ? "." : " (not finished)."
        if name == "completed" || name == "success" || name == "finished" || name == "done" || name == "succeeded"
            || name == "complete"
        {
            line += " Fetch the results with creativault_get_task_data or export them with creativault_export_task."
        }
        return Presentation(lines: [line])
    }
}
