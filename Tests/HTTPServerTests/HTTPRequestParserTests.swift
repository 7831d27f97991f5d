import Testing

@testable import HTTPServer

@Suite("HTTP request parser")
struct HTTPRequestParserTests {
    private func parse(
        _ text: String,
        limits: HTTPServerConfiguration = HTTPServerConfiguration()
    ) -> [HTTPRequestParser.Event] {
        var parser = HTTPRequestParser(limits: limits)
        parser.append(Array(text.utf8))
        var events: [HTTPRequestParser.Event] = []
        for _ in 0..<10 {
            let event = parser.next()
            events.append(event)
            if case .request = event { continue }
            if case .expectsContinue = event { continue }
            break
        }
        return events
    }

    private func status(_ text: String, limits: HTTPServerConfiguration = HTTPServerConfiguration()) -> Int? {
        for event in parse(text, limits: limits) {
            if case .failure(let status) = event { return status }
        }
        return nil
    }

    @Test func parsesRequestLineHeadersAndQuery() throws {
        let events = parse(
            "POST /mcp?a=1 HTTP/1.1\r\nHost: x\r\nMcp-Method: tools/call\r\nContent-Length: 5\r\n\r\nhello"
        )
        guard case .request(let request) = events.first else {
            Issue.record("no request: \(events)")
            return
        }
        #expect(request.method == "POST")
        #expect(request.path == "/mcp")
        #expect(request.query == "a=1")
        #expect(request.headers["mcp-method"] == "tools/call")
        #expect(request.body == Array("hello".utf8))
        #expect(request.keepAlive)
        #expect(events.last == .needMore)
    }

    @Test func pipelinedRequestsComeOutInOrder() {
        let events = parse(getRequest("/one") + getRequest("/two", close: true))
        let paths = events.compactMap { event -> String? in
            if case .request(let request) = event { return request.path }
            return nil
        }
        #expect(paths == ["/one", "/two"])
        if case .request(let last) = events[1] { #expect(!last.keepAlive) }
    }

    @Test func byteAtATimeGivesTheSameRequest() {
        let text =
            "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: t\r\n\r\n"
        var parser = HTTPRequestParser(limits: HTTPServerConfiguration())
        var phases: [HTTPRequestParser.Phase] = [parser.phase]
        var result: HTTPServerRequest?
        for byte in text.utf8 {
            parser.append([byte])
            if phases.last != parser.phase { phases.append(parser.phase) }
            if case .request(let request) = parser.next() { result = request }
            if phases.last != parser.phase { phases.append(parser.phase) }
        }
        #expect(result?.body == Array("abcde".utf8))
        #expect(phases == [.idle, .head, .body, .idle])
    }

    @Test func headOverTheLimitIs431WithOrWithoutItsEnd() {
        var limits = HTTPServerConfiguration()
        limits.maxHeadBytes = 1_024
        let big = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 2_000))\r\n"
        #expect(status(big, limits: limits) == 431)
        #expect(status(big + "\r\n", limits: limits) == 431)
        let many = "GET / HTTP/1.1\r\nHost: x\r\n" + String(repeating: "X-A: b\r\n", count: 101) + "\r\n"
        #expect(status(many) == 431)
        // Just under the default 64 KiB is still a request.
        let fits = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 65_000))\r\n\r\n"
        #expect(status(fits) == nil)
    }

    @Test func bodyOverTheLimitIs413ForBothFramings() {
        var limits = HTTPServerConfiguration()
        limits.maxBodyBytes = 10
        #expect(status("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n", limits: limits) == 413)
        #expect(status("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789", limits: limits) == nil)
        let chunked =
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\nabcdef\r\n0\r\n\r\n"
        #expect(status(chunked, limits: limits) == 413)
        #expect(status("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n") == 413)
    }

    @Test(arguments: [
        ("\u{1}\u{2}garbage\r\n\r\n", 400),
        ("GET / HTTP/1.1\nHost: x\n\n\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\n\r\n", 400),
        ("G(T / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("GET nopath HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505),
        ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
        ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXY", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\nExpect: magic\r\n\r\n", 417),
        ("GET / HTTP/1.1\r\nHost: x\r\nX: a\u{0}b\r\n\r\n", 400),
    ])
    func malformedRequestsAreRefused(text: String, expected: Int) {
        #expect(status(text) == expected)
    }

    @Test func expectContinueComesBeforeTheBody() {
        let events = parse("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")
        #expect(events == [.expectsContinue, .needMore])
    }

    @Test func emptyLinesBeforeARequestAreSkipped() {
        guard case .request(let request) = parse("\r\n\r\n" + getRequest("/after")).first else {
            Issue.record("no request")
            return
        }
        #expect(request.path == "/after")
    }

    @Test func http10ClosesUnlessKeepAliveIsAsked() {
        let events = parse("GET / HTTP/1.0\r\n\r\n")
        guard case .request(let plain) = events.first else {
            Issue.record("no request")
            return
        }
        #expect(!plain.keepAlive)
        #expect(plain.minorVersion == 0)
        guard case .request(let kept) = parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").first else {
            Issue.record("no request")
            return
        }
        #expect(kept.keepAlive)
    }
}
