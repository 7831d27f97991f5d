import Catalog
import Foundation
import Wire

/// Which base URLs a key may be sent to: `https` anywhere; plain `http` only to this
/// machine (a stand-in, a local proxy) unless the user says, with
/// `SOCIAL_DATA_MCP_ALLOW_INSECURE_HTTP=1`, that keys may cross the network unencrypted.
public enum BaseURLPolicy {
    /// Throws when `url` may not be sent to under `environment`'s settings.
    public static func check(
        _ url: URL,
        variable: String,
        provider: Provider,
        environment: Environment
    ) throws(UpstreamError) {
        let scheme = url.scheme?.lowercased()
        if scheme == "https" { return }
        if scheme == "http", isLoopback(url.host) || UpstreamSettings.allowsInsecureHTTP(environment) == true {
            return
        }
        let shown = UpstreamText.quoted(url.host ?? url.absoluteString)
        throw UpstreamError(
            .insecureBaseURL(variable: variable),
            provider: provider.name,
            advice: scheme == "http"
                ? "\(variable) points at \(shown) over plain http, which would send the key unencrypted: nothing was sent. "
                    + "Use an https URL, or set \(UpstreamSettings.allowInsecureHTTPKey.variable)=1 if that is really meant."
                : "\(variable) must be an https URL: nothing was sent."
        )
    }

    /// Whether `host` is this machine: `localhost`, 127.0.0.0/8 or `::1`.
    public static func isLoopback(_ host: String?) -> Bool {
        guard var host = host?.lowercased() else { return false }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host == "localhost" || host == "localhost." || host == "::1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets[0] == "127" else { return false }
        return octets.allSatisfy { octet in
            guard let value = Int(octet), octet.allSatisfy(\.isASCII) else { return false }
            return (0...255).contains(value)
        }
    }
}
