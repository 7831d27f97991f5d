/// What the team server's MCP endpoint accepts, beyond the HTTP limits of `HTTPServer`.
public struct EndpointSettings: Sendable {
    /// The one path MCP is served at.
    public var path = "/mcp"
    /// The `Origin` values a browser page may call from (exact `scheme://host[:port]`).
    ///
    /// A request with any other `Origin` is refused with 403, which stops DNS-rebinding
    /// pages. Requests without the header (agents, SDKs, curl) are not affected.
    public var allowedOrigins: Set<String> = []
    /// Legacy (2025-11-25) sessions kept at once; the one idle longest goes first.
    public var maximumSessions = 1_000
    /// A legacy session unused this long is forgotten (its client gets 404 and starts over,
    /// as the transport's session rules describe).
    public var sessionIdleLimit: Duration = .seconds(3_600)
    /// Tool calls one member may run at once; more wait their turn, so one member's loop
    /// cannot take every upstream connection from the others.
    public var callsInFlightPerMember = 8
    /// Tool calls running at once for the whole team.
    public var callsInFlight = 64

    /// The defaults.
    public init() {}
}
