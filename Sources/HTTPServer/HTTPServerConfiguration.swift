/// The server's limits and timeouts; the defaults are the product's, tests inject short ones.
public struct HTTPServerConfiguration: Sendable {
    /// Request line plus header fields, in bytes; past it the answer is 431 and the connection closes.
    public var maxHeadBytes = 64 * 1_024
    /// Header fields per request; past it, 431.
    public var maxHeaderCount = 100
    /// A request body, in bytes, after de-chunking; past it, 413 and close.
    public var maxBodyBytes = 8 * 1_024 * 1_024
    /// Open connections; a new one past it closes the longest-idle connection, or, when none
    /// is idle, is answered 503 and closed.
    public var maxConnections = 1_024
    /// From the first byte of a request to the end of its head; a slow sender gets 408 and close.
    public var headerTimeout: Duration = .seconds(10)
    /// From the end of the head to the end of the body.
    public var bodyTimeout: Duration = .seconds(60)
    /// How long a connection may wait for the first byte of its next request.
    public var idleTimeout: Duration = .seconds(60)
    /// How long pending response bytes may sit without the client reading any; then the
    /// connection closes and a streaming handler's writer reports the client gone.
    public var sendTimeout: Duration = .seconds(30)
    /// After an error response, how long the server keeps reading (and dropping) what the
    /// client still sends before closing, so the client reads the error instead of a reset.
    public var lingerTimeout: Duration = .seconds(2)
    /// How long `shutdown()` lets requests in flight finish before closing their connections.
    public var shutdownGrace: Duration = .seconds(10)
    /// The listen backlog.
    public var backlog: Int32 = 511

    /// The product's defaults.
    public init() {}
}
