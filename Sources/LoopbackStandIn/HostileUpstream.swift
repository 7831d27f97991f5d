import Foundation
import Locking

/// The documented stand-in with a switch for hostile answers, so one stand-in (in a test,
/// or `social-data-standin serve` for scripts) can play an attacker on demand.
///
/// Nothing changes until a mode is set: every request is answered by the wrapped handler.
/// A mode is set in-process (`mode = …`) or by a request to the control path,
/// `/__standin/hostile?mode=…` (`none`, `redirect&code=302&location=URL`, `gzip-bomb`,
/// `endless-body`, `retry-after&seconds=N`, `inject&text=…`), which is never forwarded.
public final class HostileUpstream: Sendable {
    /// What every request is answered with while it is set.
    public enum Mode: Sendable, Equatable {
        /// A redirect with this code to this URL.
        case redirect(code: Int, location: String)
        /// A 1 MB gzip bomb.
        case gzipBomb
        /// An endless chunked body.
        case endlessBody
        /// A 429 with this `Retry-After`.
        case retryAfter(String)
        /// An error whose provider message is this text.
        case injectedText(String)
    }

    /// The control path.
    public static let controlPath = "/__standin/hostile"

    private let documented: LoopbackServer.Handler
    private let current = Locked<Mode?>(nil)
    // Built once: a megabyte of bit-packing per request would slow the tests down.
    private let bomb = Locked<StubResponse?>(nil)

    /// Wraps `documented` (default: the providers' documented answers).
    public init(documented: @escaping LoopbackServer.Handler = DocumentedResponses.makeHandler()) {
        self.documented = documented
    }

    /// The mode in force; `nil` answers as documented.
    public var mode: Mode? {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }

    /// The handler to give a `LoopbackServer`.
    public var handler: LoopbackServer.Handler {
        { [self] request in respond(request) }
    }

    private func respond(_ request: RecordedRequest) -> StubResponse {
        if request.path == HostileUpstream.controlPath { return control(request.query) }
        switch mode {
        case nil: return documented(request)
        case .redirect(let code, let location)?: return HostileResponses.redirect(code, to: location)
        case .gzipBomb?:
            return bomb.withLock { cached in
                if let cached { return cached }
                let made = HostileResponses.gzipBomb()
                cached = made
                return made
            }
        case .endlessBody?: return HostileResponses.endlessBody()
        case .retryAfter(let seconds)?: return HostileResponses.rateLimited(retryAfter: seconds)
        case .injectedText(let text)?: return HostileResponses.injectedText(text)
        }
    }

    private func control(_ query: [String: String]) -> StubResponse {
        let parsed: Mode??
        switch query["mode"] {
        case "none"?: parsed = .some(nil)
        case "redirect"?:
            parsed = query["location"].map { .redirect(code: Int(query["code"] ?? "") ?? 302, location: $0) }
        case "gzip-bomb"?: parsed = .gzipBomb
        case "endless-body"?: parsed = .endlessBody
        case "retry-after"?: parsed = .retryAfter(query["seconds"] ?? "999999999999")
        case "inject"?: parsed = query["text"].map { .injectedText($0) }
        default: parsed = nil
        }
        guard let parsed else { return .json(400, ["error": "unknown or incomplete mode"]) }
        mode = parsed
        return .json(200, ["mode": query["mode"] ?? ""])
    }
}
