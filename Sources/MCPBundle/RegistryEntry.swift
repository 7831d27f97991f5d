import Wire

/// The `server.json` that describes this server in the official MCP Registry.
///
/// Built from the same facts as the bundle's manifest (``BundleManifest``): the name,
/// version and settings, so a new provider key reaches the registry entry with no edit
/// here. Each release artifact is one `mcpb` package with the SHA-256 of the file the
/// release script wrote. Validated against the registry's published schema
/// (Tests/Interop/schemas/mcp-registry-server-2025-12-11.schema.json) by
/// Tests/Interop/check_server_json.py.
public enum RegistryEntry {
    /// The published schema revision the entry follows.
    public static let schemaURL = "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json"

    /// The registry limits a description to 100 characters; the bundle's is longer.
    public static let description =
        "Paid social-media data (Xiaohongshu, Douyin, TikTok…) with spend limits and a cost per result"

    /// The GitHub repository the server is published from: the registry's namespace
    /// (`io.github.OWNER`) is proven by logging in as its owner.
    public struct Repository: Sendable, Equatable {
        /// The account or organization.
        public let owner: String
        /// The repository's name.
        public let name: String

        /// `owner/name`; `nil` unless both parts are plain GitHub names.
        public init?(_ slug: String) {
            let parts = slug.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
            guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(allowed.contains) }) else {
                return nil
            }
            owner = parts[0]
            name = parts[1]
        }

        /// The repository of a GitHub release download URL
        /// (`https://github.com/OWNER/NAME/releases/download/TAG/FILE`).
        public init?(releaseURL: String) {
            let prefix = "https://github.com/"
            guard releaseURL.hasPrefix(prefix) else { return nil }
            let parts = releaseURL.dropFirst(prefix.count).split(separator: "/").map(String.init)
            guard parts.count >= 4, parts[2] == "releases", parts[3] == "download" else { return nil }
            self.init(parts[0] + "/" + parts[1])
        }

        /// `https://github.com/OWNER/NAME`.
        public var url: String { "https://github.com/\(owner)/\(name)" }

        /// `io.github.OWNER/social-data-mcp`: the registry's name for the server.
        public var serverName: String { "io.github.\(owner)/\(ServerIdentity.name)" }
    }

    /// One release artifact: where it is downloaded from and its digest.
    public struct Package: Sendable, Equatable {
        /// The HTTPS download URL of the `.mcpb`.
        public let url: String
        /// Its lowercase hex SHA-256.
        public let sha256: String

        /// Creates a package row.
        public init(url: String, sha256: String) {
            self.url = url
            self.sha256 = sha256
        }
    }

    /// The settings, as the environment variables a registry client asks the user for:
    /// none required (the server starts with none and lists what each provider needs),
    /// keys and the cookie marked secret.
    public static var environmentVariables: [JSONValue] {
        BundleManifest.settings.map { setting in
            [
                "name": .string(setting.variable),
                "description": .string(setting.meaning),
                "format": "string",
                "isRequired": false,
                "isSecret": .bool(setting.isSensitive),
            ]
        }
    }

    /// The `server.json` for `packages`, published from `repository`.
    public static func entry(repository: Repository, packages: [Package]) -> JSONValue {
        let packageRows: [JSONValue] = packages.map { package in
            [
                "registryType": "mcpb",
                "identifier": .string(package.url),
                "version": .string(ServerIdentity.version),
                "fileSha256": .string(package.sha256),
                "transport": ["type": "stdio"],
                "environmentVariables": .array(environmentVariables),
            ]
        }
        return [
            "$schema": .string(schemaURL),
            "name": .string(repository.serverName),
            "title": .string(ServerIdentity.title),
            "description": .string(description),
            "version": .string(ServerIdentity.version),
            "repository": ["url": .string(repository.url), "source": "github"],
            "websiteUrl": .string(repository.url + "#readme"),
            "packages": .array(packageRows),
        ]
    }
}
