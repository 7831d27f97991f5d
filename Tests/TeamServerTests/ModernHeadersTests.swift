import Foundation
import Testing
import Wire

@testable import TeamServer

/// The 2026-07-28 request-metadata headers must agree with the body, or the request is
/// refused before anything runs.
@Suite("Streamable HTTP request headers")
struct ModernHeadersTests {
    private let call = RPCRequest(id: .int(1), method: "tools/call", params: ["name": "datanexus_get_author"])

    private func check(_ headers: [String: String], _ request: RPCRequest? = nil) -> RPCError? {
        ModernHeaders.check(request ?? call, version: "2026-07-28") { name in
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
    }

    @Test func matchingHeadersPass() {
        #expect(
            check([
                "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call", "Mcp-Name": "datanexus_get_author",
            ]) == nil
        )
        let listing = RPCRequest(id: .int(2), method: "tools/list")
        #expect(check(["mcp-protocol-version": "2026-07-28", "mcp-method": "tools/list"], listing) == nil)
    }

    @Test func aBase64NameIsDecodedBeforeComparing() {
        let prompt = RPCRequest(id: .int(3), method: "prompts/get", params: ["name": "找达人"])
        let encoded = "=?base64?" + Array("找达人".utf8).base64 + "?="
        #expect(
            check(["MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "prompts/get", "Mcp-Name": encoded], prompt)
                == nil
        )
        let wrong = "=?base64?" + Array("别的".utf8).base64 + "?="
        #expect(
            check(["MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "prompts/get", "Mcp-Name": wrong], prompt)?.code
                == -32020
        )
        #expect(ModernHeaders.decode("=?base64?%%%?=") == nil)
    }

    @Test(arguments: [
        ["Mcp-Method": "tools/call", "Mcp-Name": "datanexus_get_author"],
        ["MCP-Protocol-Version": "2025-11-25", "Mcp-Method": "tools/call", "Mcp-Name": "datanexus_get_author"],
        ["MCP-Protocol-Version": "2026-07-28", "Mcp-Name": "datanexus_get_author"],
        ["MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/list", "Mcp-Name": "datanexus_get_author"],
        ["MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call"],
        ["MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call", "Mcp-Name": "datanexus_list_platforms"],
    ])
    func aMissingOrDifferentHeaderIsAHeaderMismatch(headers: [String: String]) {
        #expect(check(headers)?.code == -32020)
    }
}

extension Array where Element == UInt8 {
    fileprivate var base64: String { Data(self).base64EncodedString() }
}
