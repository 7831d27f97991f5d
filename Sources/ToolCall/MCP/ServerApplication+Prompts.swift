import Catalog
import Foundation
import Providers
import Wire

extension ServerApplication {
    /// The prompts whose tools this process exposes, in table order.
    public var exposedPrompts: [PromptDefinition] {
        let exposed = Set(services.catalog.entries.map(\.tool.name))
        return PromptTable.prompts.filter { $0.isAvailable(exposing: exposed) }
    }

    /// Every exposed prompt (there are a handful: one page).
    public func listPrompts() -> [JSONValue] { exposedPrompts.map(\.mcpJSON) }

    /// The prompt's message for these arguments; an unknown or hidden prompt and arguments
    /// that do not fit are -32602.
    public func getPrompt(name: String, arguments: [String: String]) -> Result<JSONValue, RPCError> {
        let available = exposedPrompts
        guard let prompt = available.first(where: { $0.name == name }) else {
            if PromptTable.prompt(named: name) != nil {
                return .failure(
                    .invalidParams(
                        "prompt \(name) is hidden: a tool it uses is not exposed by this server's configuration"
                    )
                )
            }
            let known = available.map(\.name).joined(separator: ", ")
            return .failure(.invalidParams("unknown prompt \"\(name)\"; the prompts are: \(known)"))
        }
        let context = PromptDefinition.Context(
            now: Date(),
            exposedTools: Set(services.catalog.entries.map(\.tool.name)),
            table: services.catalog.toolsets.flatMap(\.tools)
        )
        do {
            return .success(prompt.getResult(try prompt.text(for: arguments, context: context)))
        } catch {
            return .failure(.invalidParams(error.message))
        }
    }
}
