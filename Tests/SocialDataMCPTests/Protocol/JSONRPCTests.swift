import Testing
import Wire

@Suite struct JSONRPCTests {
    private func classify(_ text: String) throws -> IncomingMessage {
        IncomingMessage(try JSONParser.parse(text))
    }

    @Test func requestWithStringOrIntegerID() throws {
        guard case .request(let request) = try classify(#"{"jsonrpc":"2.0","id":"a","method":"ping"}"#) else {
            Issue.record("not a request")
            return
        }
        #expect(request.id == .string("a"))
        guard case .request(let second) = try classify(#"{"jsonrpc":"2.0","id":3,"method":"x","params":{"k":1}}"#)
        else {
            Issue.record("not a request")
            return
        }
        #expect(second.id == .int(3))
        #expect(second.params["k"] == 1)
    }

    @Test(arguments: [
        #"{"jsonrpc":"2.0","id":null,"method":"ping"}"#,
        #"{"jsonrpc":"2.0","id":1.5,"method":"ping"}"#,
        #"{"jsonrpc":"2.0","id":true,"method":"ping"}"#,
        #"{"jsonrpc":"2.0","id":{},"method":"ping"}"#,
        #"[]"#,
        #"5"#,
    ])
    func invalidMessagesAreAnsweredWithNullID(_ text: String) throws {
        guard case .invalid(let id, let error) = try classify(text) else {
            Issue.record("accepted \(text)")
            return
        }
        #expect(id == nil)
        #expect(error.code == -32600)
    }

    @Test func missingJSONRPCVersionKeepsTheID() throws {
        guard case .invalid(let id, let error) = try classify(#"{"id":4,"method":"ping"}"#) else {
            Issue.record("accepted")
            return
        }
        #expect(id == .int(4))
        #expect(error.code == -32600)
    }

    @Test func nonObjectParamsAreInvalidParams() throws {
        guard case .invalid(let id, let error) = try classify(#"{"jsonrpc":"2.0","id":4,"method":"ping","params":[1]}"#)
        else {
            Issue.record("accepted")
            return
        }
        #expect(id == .int(4))
        #expect(error.code == -32602)
    }

    @Test func notificationsAndResponsesAreRecognised() throws {
        guard
            case .notification(let method, _) = try classify(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
        else {
            Issue.record("not a notification")
            return
        }
        #expect(method == "notifications/initialized")
        guard case .response(let id, let result) = try classify(#"{"jsonrpc":"2.0","id":"s-1","result":{"a":1}}"#)
        else {
            Issue.record("not a response")
            return
        }
        #expect(
            id == .string("s-1") && result?["a"] == 1,
            "a response carries its id and result to the waiting request"
        )
        guard
            case .response(_, let failed) = try classify(#"{"jsonrpc":"2.0","id":2,"error":{"code":1,"message":"m"}}"#)
        else {
            Issue.record("an error response is a response")
            return
        }
        #expect(failed == nil, "an error response hands over no result")
    }

    @Test func errorResponseCarriesNullIDWhenUnknown() {
        let response = JSONRPC.error(id: nil, .parseError("bad"))
        #expect(response["id"] == .null)
        #expect(response["error"]?["code"] == -32700)
    }

    @Test func sniffsTheIDOfATruncatedMessage() {
        let prefix = Array(
            #"{"jsonrpc":"2.0","method":"tools/call","params":{"name":"x","a":[1,{"b":"}"}]},"id":"abc","more"#.utf8
        )
        #expect(RequestIDSniffer.sniff(prefix[...]) == .string("abc"))
        let early = Array(#"{"id":42,"jsonrpc":"2.0","params":{"arguments":{"text":"xxxxxxxx"#.utf8)
        #expect(RequestIDSniffer.sniff(early[...]) == .int(42))
        let cut = Array(#"{"jsonrpc":"2.0","params":{"arguments":{"text":"xxxxxxxx"#.utf8)
        #expect(RequestIDSniffer.sniff(cut[...]) == nil)
    }
}
