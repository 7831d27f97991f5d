import Catalog
import Wire

/// Carries out `tools/call`: finds the exposed tool and hands it to the pipeline.
///
/// Protocol problems (unknown or hidden tool, arguments not an object) are JSON-RPC
/// errors; everything else is a tool result the model can read.
public struct ToolRunner: Sendable {
    /// The shared services.
    public let services: ToolServices
    private let pipeline: ToolPipeline

    /// Creates a runner and assembles its pipeline.
    public init(services: ToolServices) {
        self.services = services
        pipeline = ToolPipeline(
            services: services,
            localAnswers: ServerToolset.answers(services).merging(CatalogToolset.answers(services.catalog)) { $1 }
        )
    }

    /// Runs a call.
    public func call(
        name: String,
        arguments rawArguments: JSONValue?,
        context: CallContext
    ) async -> Result<ToolResult, RPCError> {
        guard let entry = services.catalog.entry(named: name) else {
            if let reason = services.catalog.hiddenReason(name) {
                return .failure(.invalidParams("Tool \(name) is not enabled in this server: \(reason)."))
            }
            let exposed = services.catalog.entries.map(\.tool.name)
            let nearest = NearestName.question(for: name, among: exposed).map { " (\($0))" } ?? ""
            return .failure(.invalidParams("Unknown tool: \(name)\(nearest). Call tools/list for the available tools."))
        }
        let given: [String: JSONValue]
        switch rawArguments {
        case nil, .null?: given = [:]
        case .object(let members)?: given = members
        case let other?: return .failure(.invalidParams("\"arguments\" must be an object, got \(other.typeName)"))
        }
        if entry.tool.name == CatalogToolset.callName { return .success(await callByName(entry, given, context)) }
        let provider = services.providers[entry.toolset.id]
        return .success(await pipeline.run(entry, provider: provider, given: given, context: context))
    }

    /// `social_data_call_tool`: the named tool through the same pipeline as a direct call.
    ///
    /// What the model got wrong (no such tool, arguments not an object) is a result it reads.
    private func callByName(
        _ caller: ToolCatalog.Entry,
        _ given: [String: JSONValue],
        _ context: CallContext
    ) async -> ToolResult {
        func refuse(_ advice: String) -> ToolResult {
            pipeline.failure(.upstream(UpstreamError(.rejected, provider: caller.tool.name, advice: advice)), caller)
        }
        let unknown = Set(given.keys).subtracting(["name", "arguments"])
        guard unknown.isEmpty else {
            return refuse("It takes name and arguments, not \(unknown.sorted().joined(separator: ", ")).")
        }
        guard let name = given["name"]?.stringValue, !name.isEmpty else {
            return refuse("Give name: a tool name from \(CatalogToolset.findName).")
        }
        guard name != CatalogToolset.callName, let entry = services.catalog.entry(named: name) else {
            let reason = services.catalog.hiddenReason(name).map { " (\($0))" } ?? ""
            return refuse(
                "No tool \(UpstreamText.quoted(name)) can be called here\(reason): find one with \(CatalogToolset.findName)."
            )
        }
        let arguments: [String: JSONValue]
        switch given["arguments"] {
        case nil, .null?: arguments = [:]
        case .object(let members)?: arguments = members
        // Some clients send a nested object as its JSON text.
        case .string(let text)? where (try? JSONParser.parse(text))?.objectValue != nil:
            arguments = (try? JSONParser.parse(text))?.objectValue ?? [:]
        case .string(let text)? where text.isEmpty: arguments = [:]
        case let other?: return refuse("arguments must be an object, got \(other.typeName).")
        }
        let provider = services.providers[entry.toolset.id]
        return await pipeline.run(entry, provider: provider, given: arguments, context: context)
    }
}
