/// Where the server listens, as the operator writes it: `[HOST:]PORT`.
public struct HTTPListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// An IPv4 or IPv6 literal (IPv6 without brackets); 127.0.0.1 when none was given, so a
    /// server is never reachable from the network unless a host is named.
    public var host: String
    /// The port; 0 asks the system for a free one.
    public var port: Int

    /// An address from its parts.
    public init(host: String = "127.0.0.1", port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `PORT`, `HOST:PORT` or `[IPV6]:PORT`; nil when it is none of these.
    public init?(parsing text: String) {
        func parsePort(_ text: Substring) -> Int? {
            guard !text.isEmpty, text.count <= 5, text.allSatisfy(\.isASCII), let port = Int(text),
                (0...65_535).contains(port)
            else { return nil }
            return port
        }
        if let port = parsePort(Substring(text)) {
            self.init(port: port)
        } else if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":"), let port = parsePort(rest.dropFirst()) else { return nil }
            let host = String(text[text.index(after: text.startIndex)..<close])
            guard !host.isEmpty else { return nil }
            self.init(host: host, port: port)
        } else if let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") {
            guard let port = parsePort(text[text.index(after: colon)...]), colon > text.startIndex else { return nil }
            self.init(host: String(text[..<colon]), port: port)
        } else {
            return nil
        }
    }

    /// `host:port`, with brackets around an IPv6 host.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
