import Catalog
import Foundation
import Members
import Spend
import ToolCall
import Wire

/// `social-data-mcp member add|list|limit|remove|rotate`: the people a team server (`serve --http`)
/// answers, each with a token of their own (and, if given, their own limits and toolsets).
///
/// A token is printed once, when made; the state folder keeps only its SHA-256.
enum MemberCommand {
    static let options: [CommandOption] = [
        .value("--format", "F", "text (default) or json"),
        .value(
            "--toolsets",
            "a,b",
            "with add: the only toolsets this member may list and call (default: the server's)"
        ),
        .value(
            "--daily-limit-cny",
            "X",
            "with add or limit: yuan this member may spend per local day, beside the team's limit (default none)"
        ),
        .value(
            "--monthly-limit-cny",
            "Y",
            "with add or limit: the same per local calendar month (credits: --daily-limit-credits, --monthly-limit-credits)"
        ),
    ]

    /// The toolsets a member may be given: the table's, less the server's own (always there).
    static var toolsetIDs: [String] { ToolServices.toolsets.map(\.id).filter { $0 != ServerToolset.id } }

    static let actions = ["add", "list", "limit", "remove", "rotate"]

    static func run(_ invocation: Invocation) throws -> Int32 {
        let positionals = invocation.positionals
        guard let action = positionals.first, actions.contains(action) else {
            throw CommandError("name what to do: member \(actions.joined(separator: "|")) [NAME]")
        }
        let json = try wantsJSON(invocation)
        let store = MemberStore(directory: URL(fileURLWithPath: try invocation.configuration().stateDirectory))
        if action == "list" {
            guard positionals.count == 1 else { throw CommandError("member list takes no name") }
            try list(store.list(), json: json)
            return 0
        }
        guard positionals.count == 2 else { throw CommandError("member \(action) takes one NAME") }
        let name = positionals[1]
        switch action {
        case "add":
            let limits = try limits(invocation)
            let (member, token) = try store.add(
                name,
                dailyLimitCNY: limits[0]??.amount,
                monthlyLimitCNY: limits[1]??.amount,
                dailyLimitCredits: (limits[2]??.amount).map { Int($0) },
                monthlyLimitCredits: (limits[3]??.amount).map { Int($0) },
                toolsets: try toolsets(invocation)
            )
            printToken(token, of: member.name, json: json, note: "added")
        case "limit":
            let given = try limits(invocation)
            guard given.contains(where: { $0 != nil }) else {
                throw CommandError(
                    "member limit NAME takes --daily-limit-cny X and/or --monthly-limit-cny Y (X or none)"
                )
            }
            let member = try store.update(name) { member in
                if let daily = given[0] { member.dailyLimitCNY = daily.map(\.amount) }
                if let monthly = given[1] { member.monthlyLimitCNY = monthly.map(\.amount) }
                if let daily = given[2] { member.dailyLimitCredits = daily.map { Int($0.amount) } }
                if let monthly = given[3] { member.monthlyLimitCredits = monthly.map { Int($0.amount) } }
            }
            list([member], json: json)
        case "rotate":
            printToken(
                try store.rotate(name),
                of: name,
                json: json,
                note: "has a new token; the old one no longer works"
            )
        default:
            try store.remove(name)
            CLI.writeOut(json ? JSONValue.object(["removed": .string(name)]).jsonText + "\n" : "removed \(name)\n")
        }
        return 0
    }

    /// `member add NAME --toolsets a,b`: the setting's own flag, read here as the member's
    /// toolsets (the server's selection still applies on top).
    private static func toolsets(_ invocation: Invocation) throws -> [String]? {
        guard let value = invocation.arguments.configuration[ToolSelection.toolsetsKey.variable] else { return nil }
        let names = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for name in names where !toolsetIDs.contains(name) {
            let near = NearestName.question(for: name, among: toolsetIDs).map { " (\($0))" } ?? ""
            throw CommandError("unknown toolset '\(name)'\(near); toolsets: \(toolsetIDs.joined(separator: ", "))")
        }
        guard !names.isEmpty else {
            throw CommandError("--toolsets names at least one of \(toolsetIDs.joined(separator: ", "))")
        }
        return names
    }

    /// The member's own daily and monthly limits (yuan, then credits) from the limit
    /// settings' own flags (`--daily-limit-cny 1`), read with the settings' rule: `nil` where
    /// no flag is given, `.some(nil)` for `none`.
    private static func limits(_ invocation: Invocation) throws -> [Money??] {
        try limitScopes.map { scope, currency -> Money?? in
            let key = Configuration.limitKey(scope, currency)
            guard let text = invocation.arguments.configuration[key.variable] else { return nil }
            let amount = try Configuration.limit(text, key, currency)
            if let amount, currency == .credits, amount.amount != amount.amount.rounded(.down) {
                throw CommandError("\(key.flag) \(text): credits are whole numbers")
            }
            return .some(amount)
        }
    }

    /// The limits a member may have, in the order `limits` returns them.
    private static let limitScopes: [(BudgetRefusal.Scope, Money.Currency)] = [
        (.day, .cny), (.month, .cny), (.day, .credits), (.month, .credits),
    ]

    private static func wantsJSON(_ invocation: Invocation) throws(CommandError) -> Bool {
        switch invocation.option("--format") ?? "text" {
        case "text": false
        case "json": true
        case let other: throw CommandError("--format is text or json, not \(other)")
        }
    }

    private static func printToken(_ token: String, of name: String, json: Bool, note: String) {
        if json {
            CLI.writeOut(JSONValue.object(["member": .string(name), "token": .string(token)]).jsonText + "\n")
        } else {
            CLI.writeOut(
                "\(name) \(note). Token (shown once; give it to \(name) and keep it out of project files):\n"
                    + "\(token)\n"
            )
        }
    }

    private static func list(_ members: [Member], json: Bool) {
        let dates = ISO8601DateFormatter()
        if json {
            let rows: [JSONValue] = members.map { member in
                var row: [String: JSONValue] = [
                    "member": .string(member.name), "created": .string(dates.string(from: member.createdAt)),
                    "daily_limit_cny": member.dailyLimitCNY.map { .double($0) } ?? .null,
                    "monthly_limit_cny": member.monthlyLimitCNY.map { .double($0) } ?? .null,
                    "daily_limit_credits": member.dailyLimitCredits.map { .int($0) } ?? .null,
                    "monthly_limit_credits": member.monthlyLimitCredits.map { .int($0) } ?? .null,
                ]
                if let rotated = member.rotatedAt { row["rotated"] = .string(dates.string(from: rotated)) }
                if let toolsets = member.toolsets { row["toolsets"] = .array(toolsets.map { .string($0) }) }
                return .object(row)
            }
            CLI.writeOut(JSONValue.array(rows).jsonText + "\n")
            return
        }
        guard !members.isEmpty else {
            CLI.writeOut("no members yet: \(ServerIdentity.name) member add NAME\n")
            return
        }
        let rows = members.map { member in
            let budget = member.budget
            func limit(_ scope: BudgetRefusal.Scope) -> String {
                let amounts = Money.Currency.allCases.compactMap { budget.limits.limit(scope, $0)?.formatted }
                return amounts.isEmpty ? "none" : amounts.joined(separator: " + ")
            }
            return [
                member.name, limit(.day), limit(.month), member.toolsets?.joined(separator: ",") ?? "all",
                String(dates.string(from: member.createdAt).prefix(10)),
                member.rotatedAt.map { String(dates.string(from: $0).prefix(10)) } ?? "-",
            ]
        }
        let header = ["member", "daily limit", "monthly limit", "toolsets", "added", "rotated"]
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            let cells = row.enumerated().map { column, cell in
                cell + String(repeating: " ", count: widths[column] - cell.count)
            }
            var line = cells.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            CLI.writeOut(line + "\n")
        }
    }
}

extension Member {
    /// The member as the ledger sees them: their name and their own limits.
    var budget: MemberBudget {
        MemberBudget(
            name: name,
            dailyCNY: dailyLimitCNY,
            monthlyCNY: monthlyLimitCNY,
            dailyCredits: dailyLimitCredits,
            monthlyCredits: monthlyLimitCredits
        )
    }
}
