import Catalog
import Locking
import MCP
import Providers
import Wire

/// What this server's MCP methods serve: the exposed tools through the call pipeline, the
/// prompts whose tools are exposed, and saved results.
public final class ServerApplication: MCPApplication {
    /// The shared services.
    public let services: ToolServices
    /// The tool runner.
    public let runner: ToolRunner
    private let toolList = Locked<[JSONValue]?>(nil)

    /// Creates the application over a process's services.
    public init(services: ToolServices) {
        self.services = services
        runner = ToolRunner(services: services)
    }

    /// The instructions for the exposed tools.
    public var instructions: String { Instructions.text(for: services.catalog, configuration: services.configuration) }

    /// The listed tools (all exposed ones, or the catalog profile's four), built once.
    public func listTools() -> [JSONValue] {
        toolList.withLock { cached in
            if let cached { return cached }
            let built = services.catalog.listed.map(\.mcpJSON)
            cached = built
            return built
        }
    }

    /// Runs a tool call through the pipeline.
    public func callTool(name: String, arguments: JSONValue?, context: CallContext) async -> Result<JSONValue, RPCError>
    {
        await runner.call(name: name, arguments: arguments, context: context).map(\.json)
    }
}
