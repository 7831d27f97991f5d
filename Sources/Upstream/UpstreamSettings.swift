import Catalog
import Wire

/// The settings the upstream client reads: how large an answer may be, and whether plain
/// http may leave this machine.
public enum UpstreamSettings {
    /// `SOCIAL_DATA_MCP_MAX_RESPONSE_MB`.
    public static let maxResponseKey = ConfigKey(
        "SOCIAL_DATA_MCP_MAX_RESPONSE_MB",
        "largest upstream answer in MiB, counted after decompression (default 64); a larger one is cut off with an error"
    )
    /// `SOCIAL_DATA_MCP_ALLOW_INSECURE_HTTP`.
    public static let allowInsecureHTTPKey = ConfigKey(
        "SOCIAL_DATA_MCP_ALLOW_INSECURE_HTTP",
        "`1`: allow a base URL that is plain `http://` on a host other than this machine (keys then cross the network unencrypted)"
    )

    /// Both, in README order.
    public static let keys = [maxResponseKey, allowInsecureHTTPKey]

    /// The upstream answer cap in bytes that `environment` sets, or `nil` when its value is
    /// not a whole number of MiB from 1 to 4096.
    public static func maximumResponseBytes(_ environment: Environment) -> Int? {
        guard let text = environment[maxResponseKey.variable]?.trimmed, !text.isEmpty else {
            return HTTPRequest.defaultMaximumResponseBytes
        }
        guard let megabytes = Int(text), (1...4096).contains(megabytes) else { return nil }
        return megabytes << 20
    }

    /// Whether `environment` allows plain-http base URLs on other hosts, or `nil` when its
    /// value is not a yes or no.
    public static func allowsInsecureHTTP(_ environment: Environment) -> Bool? {
        switch environment[allowInsecureHTTPKey.variable]?.trimmed.lowercased() {
        case nil, "", "0", "false", "no", "off": return false
        case "1", "true", "yes", "on": return true
        default: return nil
        }
    }

    /// Refuses values the client could not use, as the server does at start.
    public static func validate(_ environment: Environment) throws(ConfigurationError) {
        guard maximumResponseBytes(environment) != nil else {
            throw ConfigurationError(
                message: "\(maxResponseKey.variable)=\(environment[maxResponseKey.variable] ?? ""): "
                    + "expected whole MiB from 1 to 4096."
            )
        }
        guard allowsInsecureHTTP(environment) != nil else {
            throw ConfigurationError(
                message:
                    "\(allowInsecureHTTPKey.variable)=\(environment[allowInsecureHTTPKey.variable] ?? ""): use 1 or 0."
            )
        }
    }
}
