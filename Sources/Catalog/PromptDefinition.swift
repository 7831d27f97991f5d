import Foundation

/// One MCP prompt: one row of the prompt table.
///
/// `prompts/list`, `prompts/get`, the README's prompt list, `SKILL.md` and the bundle
/// manifest all come from these values. A prompt names the tools its text tells the model
/// to call, so it is hidden whenever those tools are.
public struct PromptDefinition: Sendable {
    /// The prompt name (`brand_visibility_in_ai`).
    public let name: String
    /// A short human title, as a client's prompt menu shows it.
    public let title: String
    /// What the prompt does, for the user picking it.
    public let description: String
    /// The arguments the user fills in, in display order.
    public let arguments: [Argument]
    /// The tools the text tells the model to call, in the order it calls them.
    public let tools: [String]
    /// Whether the prompt needs every tool it names, or any one of them (its text then
    /// leaves out the steps whose tool is hidden).
    public let needs: Needs
    let render: @Sendable (Arguments, Context) throws(PromptError) -> String

    /// Creates a row.
    public init(
        name: String,
        title: String,
        description: String,
        arguments: [Argument],
        tools: [String],
        needs: Needs = .all,
        render: @escaping @Sendable (Arguments, Context) throws(PromptError) -> String
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.arguments = arguments
        self.tools = tools
        self.needs = needs
        self.render = render
    }

    /// Which of the named tools a prompt needs.
    public enum Needs: Sendable {
        /// All of them.
        case all
        /// At least one.
        case any
    }

    /// One argument: MCP prompt arguments are strings; `kind` says which strings are valid.
    public struct Argument: Sendable {
        /// The argument name.
        public let name: String
        /// A short human title.
        public let title: String
        /// What to fill in.
        public let description: String
        /// Whether `prompts/get` fails without it.
        public let isRequired: Bool
        /// What values it takes.
        public let kind: Kind

        /// Creates an argument.
        public init(
            _ name: String,
            _ title: String,
            _ description: String,
            required: Bool = false,
            _ kind: Kind = .text
        ) {
            self.name = name
            self.title = title
            self.description = description
            self.isRequired = required
            self.kind = kind
        }

        /// What values an argument takes.
        public enum Kind: Sendable {
            /// Any non-empty text.
            case text
            /// A whole number in a range, with the value used when it is left out.
            case integer(ClosedRange<Int>, default: Int)
            /// One of these words.
            case choice([String])
        }
    }

    /// The checked arguments of one `prompts/get`.
    public struct Arguments: Sendable {
        let values: [String: String]

        /// A text or choice argument, or `nil` when it was left out.
        public func text(_ name: String) -> String? { values[name] }

        /// An integer argument, or its default when it was left out.
        public func integer(_ name: String, default fallback: Int) -> Int {
            values[name].flatMap { Int($0) } ?? fallback
        }
    }

    /// What a prompt's text may depend on besides its arguments.
    public struct Context: Sendable {
        /// The moment of the request, for date ranges ("the last 30 days").
        public let now: Date
        /// The tools this process exposes.
        public let exposedTools: Set<String>
        /// Every row of the table, for prices.
        public let table: [ToolDefinition]

        /// Creates a context.
        public init(now: Date, exposedTools: Set<String>, table: [ToolDefinition]) {
            self.now = now
            self.exposedTools = exposedTools
            self.table = table
        }

        /// Whether the tool called `name` is exposed.
        public func exposes(_ name: String) -> Bool { exposedTools.contains(name) }

        /// The price clause of a tool, from the tool table, so a prompt never restates a price.
        public func price(of name: String) -> String {
            table.first { $0.name == name }?.price.sentence ?? ""
        }
    }

    /// Whether the prompt can run with these tools exposed.
    public func isAvailable(exposing exposedTools: Set<String>) -> Bool {
        switch needs {
        case .all: return tools.allSatisfy(exposedTools.contains)
        case .any: return tools.contains(where: exposedTools.contains)
        }
    }

    /// The prompt's text for these raw arguments, or why they do not fit.
    public func text(for rawArguments: [String: String], context: Context) throws(PromptError) -> String {
        for name in rawArguments.keys.sorted() where !arguments.contains(where: { $0.name == name }) {
            let known = arguments.map(\.name).joined(separator: ", ")
            throw PromptError("unknown argument '\(name)' for prompt \(self.name); it takes: \(known)")
        }
        var values: [String: String] = [:]
        for argument in arguments {
            let value = rawArguments[argument.name]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard !value.isEmpty else {
                if argument.isRequired {
                    throw PromptError("missing required argument '\(argument.name)' (\(argument.description))")
                }
                continue
            }
            switch argument.kind {
            case .text:
                break
            case .integer(let bounds, _):
                guard let number = Int(value), bounds.contains(number) else {
                    throw PromptError(
                        "'\(argument.name)' must be a whole number from \(bounds.lowerBound) to \(bounds.upperBound), got '\(value)'"
                    )
                }
            case .choice(let allowed):
                guard allowed.contains(value.lowercased()) else {
                    throw PromptError(
                        "'\(argument.name)' must be one of \(allowed.joined(separator: ", ")), got '\(value)'"
                    )
                }
                values[argument.name] = value.lowercased()
                continue
            }
            values[argument.name] = value
        }
        return try render(Arguments(values: values), context)
    }
}

/// Arguments that do not fit a prompt: `prompts/get` answers -32602 with this message.
public struct PromptError: Error, Sendable, Equatable {
    /// What is wrong and what is allowed.
    public let message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }
}
