/// One tool: one row of the one table.
///
/// `tools/list`, argument validation, the upstream request, the price checks, the OpenAI
/// and Anthropic exports, `SKILL.md` and the README's tool list are all computed from
/// these values; nothing about a tool is written anywhere else.
public struct ToolDefinition: Sendable {
    /// The tool name: `<provider>_<verb>_<noun>`, `^[a-z][a-z0-9_]{0,47}$`.
    public let name: String
    /// A short human title.
    public let title: String
    /// What the tool does and when to use it (the price sentence is appended).
    public let summary: String
    /// The arguments the model may pass, in display order.
    public let declaredParameters: [Parameter]
    /// Rules across arguments.
    public let constraints: [Constraint]
    /// The upstream operation.
    public let route: Route
    /// What a call costs.
    public let price: Price
    /// What a call does to the world.
    public let effect: Effect
    /// Whether identical calls may be answered from the cache (reads only).
    public let isCacheable: Bool
    /// Whether the provider's credentials are sent.
    public let authentication: Authentication
    /// Optional extra reading of the response (trend summary, diagnosis, images).
    public let presenter: Presenter?
    /// How the call is carried out.
    public let execution: Execution
    /// The call's time budget when `SOCIAL_DATA_MCP_TIMEOUT` is unset, if not the provider's.
    public let timeoutSeconds: Int?

    /// Creates a row; `isCacheable` defaults to what `effect` allows.
    public init(
        name: String,
        title: String,
        summary: String,
        parameters: [Parameter] = [],
        constraints: [Constraint] = [],
        route: Route,
        price: Price,
        effect: Effect = .read,
        cacheable: Bool = true,
        authentication: Authentication = .required,
        presenter: Presenter? = nil,
        execution: Execution = .request,
        timeoutSeconds: Int? = nil
    ) {
        self.name = name
        self.title = title
        self.summary = summary
        self.declaredParameters = parameters
        self.constraints = constraints
        self.route = route
        self.price = price
        self.effect = effect
        self.isCacheable = cacheable && effect.isCacheable
        self.authentication = authentication
        self.presenter = presenter
        self.execution = execution
        self.timeoutSeconds = timeoutSeconds
    }

    /// The full description: what it does, its argument rules, then its price.
    public var description: String {
        [summary, SchemaText.rules(constraints), price.sentence].compactMap { $0 }.joined(separator: " ")
    }

    /// Every argument: the declared ones plus the server's own controls.
    public var parameters: [Parameter] {
        var all = declaredParameters
        if isCacheable {
            all.append(ToolDefinition.maxAge)
        }
        if price.isPaid {
            all.append(ToolDefinition.dryRun)
        }
        // Every paid call whose worst case the ledger reserves (a quote, the largest charge
        // recorded, a documented one, or what is left) can ask. A rate never disclosed
        // (TikOmni's plan rate) has none, so it never asks: there the argument would only
        // cost bytes in every conversation.
        switch price {
        case .perItem, .reportedByProvider: all.append(ToolDefinition.confirmToken)
        case .free, .undisclosed: break
        }
        return all
    }

    /// The argument named `name`.
    public func parameter(named name: String) -> Parameter? {
        parameters.first { $0.name == name }
    }

    /// Whether a call sends the provider's credentials.
    public enum Authentication: Sendable {
        /// The call fails without them.
        case required
        /// Public endpoint: sent when configured, not needed otherwise.
        case optional
        /// Never sent (CreatiVault's webhook check is public).
        case none
    }

    /// `dry_run`: every paid tool can quote its worst case without spending.
    ///
    /// Short on purpose: it is repeated in every paid tool's schema, in every conversation.
    static let dryRun = Parameter(
        "dry_run",
        .boolean,
        // Short: the instructions say the rest, and some clients never pass them on.
        "Quote only.",
        default: false,
        in: .local
    )

    /// `confirm_token`: the proof that a call above the ask-first threshold was shown to the
    /// user, on every paid tool whose worst case is reserved (all but a rate never disclosed).
    ///
    /// Optional, and empty means absent, so strict converters that send `""` still work.
    /// Its description is as short as it can be: every paid tool repeats it in every
    /// conversation, and the instructions say the rest.
    public static let confirmToken = Parameter(
        "confirm_token",
        .string(maxLength: 200),
        "From a quote.",
        in: .local
    )

    /// `max_age`: every cached read can demand fresher data.
    static let maxAge = Parameter(
        "max_age",
        // No upper bound is shown or needed: an age beyond the cache's TTL only accepts
        // what is there.
        .integer(0...Int.max),
        "Seconds; 0 = fresh.",
        in: .local
    )
}
