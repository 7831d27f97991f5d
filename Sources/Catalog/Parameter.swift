import Wire

/// One argument of a tool: its JSON type, its rules and where it goes upstream.
///
/// The same value drives the `inputSchema`, argument validation and the HTTP request,
/// so a rule written here is enforced, documented and sent consistently.
public struct Parameter: Sendable {
    /// The argument's name as the model sees it.
    public let name: String
    /// Its JSON type and bounds.
    public let kind: Kind
    /// What it means, in the user's terms.
    public let description: String
    /// Whether the call needs it (within `scope`, and unless `fallbackEnvironment` supplies it).
    public let isRequired: Bool
    /// The upstream default, shown in the schema; never sent when the argument is absent.
    public let defaultValue: JSONValue?
    /// Where the value goes in the upstream request.
    public let location: Location
    /// The upstream name when it differs from `name`: GEO's `from` and `to` are shown as
    /// `start_date` and `end_date`, since a parameter named after a keyword of a common host
    /// language (Python's `from`) is dropped or renamed by some frameworks' converters.
    public let wireName: String?
    /// Arguments that only make sense for some values of another argument.
    public let scope: Condition?
    /// An environment variable that supplies the value when the argument is absent.
    public let fallbackEnvironment: String?
    /// Whether the value is a secret: never echoed, logged or returned.
    public let isSecret: Bool

    /// Creates a parameter; see the properties for what each argument means.
    public init(
        _ name: String,
        _ kind: Kind,
        _ description: String,
        required: Bool = false,
        default defaultValue: JSONValue? = nil,
        in location: Location,
        wireName: String? = nil,
        scope: Condition? = nil,
        fallbackEnvironment: String? = nil,
        secret: Bool = false
    ) {
        self.name = name
        self.kind = kind
        self.description = description
        self.isRequired = required
        self.defaultValue = defaultValue
        self.location = location
        self.wireName = wireName
        self.scope = scope
        self.fallbackEnvironment = fallbackEnvironment
        self.isSecret = secret
    }

    /// The name the upstream API uses.
    public var upstreamName: String { wireName ?? name }

    /// The JSON type and bounds of an argument.
    public indirect enum Kind: Sendable {
        /// A non-empty string of at most `maxLength` Unicode code points, optionally in a
        /// checked format. The bound keeps a runaway argument from becoming a 13 MB URL.
        case string(StringFormat? = nil, maxLength: Int = 4_096)
        /// One of a fixed set of strings.
        case choice([String])
        /// An integer, optionally bounded.
        case integer(ClosedRange<Int>? = nil)
        /// One of a fixed set of upstream integer codes (such as `analysis_type`).
        ///
        /// The schema shows them as a string enum (`"1"`, `"2"`, `"7"`): Gemini's schema takes
        /// only string enums, and one integer enum fails a whole request there. The validator
        /// takes the string or the integer, and the number is what is sent upstream.
        case integerChoice([Int])
        /// A boolean.
        case boolean
        /// A list; `joined` sends it upstream as one comma-separated string.
        case array(of: Kind, count: ClosedRange<Int>, joined: Bool = false)
        /// A free-form JSON object (only `tikomni_call_route`'s body and query).
        case object
    }

    /// Where an argument's value goes.
    public enum Location: Sendable, Equatable {
        /// Substituted into the path template.
        case path
        /// A query parameter.
        case query
        /// A member of the JSON body.
        case body
        /// An object whose members become the JSON body.
        case bodyObject
        /// An object whose members become query parameters.
        case queryObject
        /// Used by the route (picks the endpoint or the method), not sent as such.
        case route
        /// Used by this server only (`dry_run`, `max_age`, `wait_seconds`).
        case local
    }
}

/// Formats a string argument is checked against before any request.
public enum StringFormat: Sendable, Equatable {
    /// A calendar date in the given layout.
    case date(DateLayout)
    /// An absolute `https://` URL (webhooks must be https).
    case httpsURL
    /// `auto` or `WIDTHxHEIGHT`, as image sizes are written.
    case imageSize
    /// A relative route path under one of these prefixes, with no scheme, host, `..`,
    /// query or fragment: what a pass-through tool may reach and nothing else.
    case routePath(prefixes: [String])
}

/// The ways the providers write a calendar day.
public enum DateLayout: Sendable, Equatable {
    /// `YYYY-MM-DD` (GEO, TikOmni live history).
    case dashed
    /// `YYYYMMDD` (TikOmni account analysis).
    case compact

    /// The layout as the docs write it.
    public var pattern: String {
        switch self {
        case .dashed: return "YYYY-MM-DD"
        case .compact: return "YYYYMMDD"
        }
    }
}

/// The condition "only when argument `parameter` is one of `values`".
public struct Condition: Sendable {
    /// The argument whose value decides.
    public let parameter: String
    /// The values for which the condition holds.
    public let values: [String]

    /// Creates a condition.
    public init(_ parameter: String, in values: [String]) {
        self.parameter = parameter
        self.values = values
    }

    /// Whether the condition holds for these arguments.
    public func holds(for arguments: [String: JSONValue]) -> Bool {
        guard let value = arguments[parameter]?.stringValue else { return false }
        return values.contains(value)
    }

    /// The condition in words, for descriptions and errors.
    public var phrase: String {
        values.count == 1
            ? "\(parameter) is \(values[0])"
            : "\(parameter) is one of \(values.joined(separator: ", "))"
    }
}

/// A rule across several arguments of one tool.
public enum Constraint: Sendable {
    /// All or none of these arguments.
    case together([String])
    /// Arguments from the first group or the second, not both.
    case exclusive([String], [String])
    /// Two date arguments: `from` not after `to`, and at most `maxDays` days inclusive
    /// when the provider documents a limit.
    case dateSpan(from: String, to: String, maxDays: Int?)
    /// Two integer arguments with `low` < `high` (millisecond timestamps, cursors).
    case ascending(low: String, high: String)
}
