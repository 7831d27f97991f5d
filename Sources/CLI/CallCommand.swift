import ToolCall
import Wire

/// `social-data-mcp call TOOL [JSON]`: one tool call, the same result `tools/call` returns.
enum CallCommand {
    static func run(_ invocation: Invocation) async throws -> Int32 {
        let arguments = invocation.arguments
        guard let name = arguments.positionals.first else {
            throw CommandError("call needs a tool name: social-data-mcp call TOOL '{\"arg\": \"value\"}'")
        }
        guard arguments.positionals.count <= 2 else {
            throw CommandError("call takes a tool name and one JSON object; quote the JSON as one argument")
        }
        var callArguments: JSONValue = [:]
        if arguments.positionals.count == 2 {
            do {
                callArguments = try JSONParser.parse(arguments.positionals[1])
            } catch {
                throw CommandError("the arguments are not JSON: \(error.description)")
            }
        }
        let services = try invocation.services()
        let catalog = services.catalog
        if catalog.entry(named: name) == nil, catalog.hiddenReason(name) == nil {
            // The `tools/call` message points at `tools/list`, which a shell user cannot send.
            let hint = CommandTable.suggestion(for: name, among: catalog.entries.map(\.tool.name))
            throw CommandError(
                "unknown tool '\(name)'\(hint); `\(ServerIdentity.name) tools` lists the \(catalog.entries.count) tools"
            )
        }
        let output = OutputChannel(redactor: services.secrets)
        let context = CallContext(log: CallLog { level, message in output.log("\(level.rawValue): \(message)") })
        switch await ToolRunner(services: services).call(name: name, arguments: callArguments, context: context) {
        case .success(let result):
            CLI.writeOut(result.json.prettyJSONText, redactor: services.secrets)
            return result.isError ? 1 : 0
        case .failure(let error):
            throw CommandError(error.message)
        }
    }
}
