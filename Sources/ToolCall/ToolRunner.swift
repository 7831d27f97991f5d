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
        pipeline = ToolPipeline(services: services, localAnswers: ServerToolset.answers(services))
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
        let provider = services.providers[entry.toolset.id]
        return .success(await pipeline.run(entry, provider: provider, given: given, context: context))
    }
}
