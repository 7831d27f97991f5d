// The Swift reference for Benchmarks/run: the same `datanexus_get_author` tool as
// social-data-mcp, written against the official Swift MCP SDK's public API (`Server`,
// `StdioTransport`, `withMethodHandler`). Each call makes the same keep-alive GET to the
// same loopback DataNexus stand-in with URLSession (ephemeral, no cache, 8 connections per
// host, as social-data-mcp's transport), decodes the body and returns the author as
// structured content plus its JSON text, so both servers do the same work per call.
// Built only by Benchmarks/swift-sdk/prepare, in a scratch folder; never part of the product.
import Foundation
import MCP

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

let environment = ProcessInfo.processInfo.environment
guard let base = environment["DATANEXUS_BASE_URL"], let key = environment["DATANEXUS_API_KEY"] else {
    FileHandle.standardError.write(Data("set DATANEXUS_BASE_URL and DATANEXUS_API_KEY\n".utf8))
    exit(2)
}

let session: URLSession = {
    let configuration = URLSessionConfiguration.ephemeral
    configuration.urlCache = nil
    configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
    configuration.httpMaximumConnectionsPerHost = 8
    configuration.httpShouldSetCookies = false
    return URLSession(configuration: configuration)
}()

/// A text content block.
@Sendable func textBlock(_ text: String) -> Tool.Content { .text(text: text, annotations: nil, _meta: nil) }

/// One GET to the stand-in, answered as the tool's result.
@Sendable func getAuthor(_ parameters: CallTool.Parameters) async throws -> CallTool.Result {
    guard parameters.name == "datanexus_get_author" else {
        return .init(content: [textBlock("Unknown tool \(parameters.name)")], isError: true)
    }
    guard let platform = parameters.arguments?["platform"]?.stringValue,
        let id = parameters.arguments?["id"]?.stringValue,
        let url = URL(string: "\(base)/api/v1/platforms/\(platform)/authors/\(id)")
    else {
        return .init(content: [textBlock("platform and id are required")], isError: true)
    }
    var request = URLRequest(url: url)
    request.setValue(key, forHTTPHeaderField: "X-API-Key")
    request.timeoutInterval = 30
    let finalRequest = request
    let body: Data = try await withCheckedThrowingContinuation { continuation in
        session.dataTask(with: finalRequest) { data, _, error in
            if let error {
                continuation.resume(throwing: error)
            } else {
                continuation.resume(returning: data ?? Data())
            }
        }.resume()
    }
    let envelope = try JSONDecoder().decode(Value.self, from: body)
    guard envelope.objectValue?["success"]?.boolValue == true, let author = envelope.objectValue?["data"] else {
        return .init(content: [textBlock(String(decoding: body, as: UTF8.self))], isError: true)
    }
    let text = String(decoding: try JSONEncoder().encode(author), as: UTF8.self)
    return .init(content: [textBlock(text)], structuredContent: Optional(author), isError: false)
}

let server = Server(
    name: "swift-sdk-reference-datanexus",
    version: "1.0.0",
    capabilities: .init(tools: .init(listChanged: false))
)
await server.withMethodHandler(ListTools.self) { _ in
    .init(tools: [
        Tool(
            name: "datanexus_get_author",
            description: "One 博主 KOL creator's profile by account id. Price: ¥0.08 per item.",
            inputSchema: .object([
                "type": .string("object"),
                "properties": .object([
                    "platform": .object(["type": .string("string")]),
                    "id": .object(["type": .string("string")]),
                ]),
                "required": .array([.string("platform"), .string("id")]),
            ])
        )
    ])
}
await server.withMethodHandler(CallTool.self, handler: getAuthor)
try await server.start(transport: StdioTransport())
await server.waitUntilCompleted()
