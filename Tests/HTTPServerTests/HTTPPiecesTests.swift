import Testing

@testable import HTTPServer

@Suite("HTTP pieces")
struct HTTPPiecesTests {
    @Test func listenAddressParsing() {
        #expect(HTTPListenAddress(parsing: "8080") == HTTPListenAddress(host: "127.0.0.1", port: 8080))
        #expect(HTTPListenAddress(parsing: "0.0.0.0:80") == HTTPListenAddress(host: "0.0.0.0", port: 80))
        #expect(HTTPListenAddress(parsing: "[::1]:0") == HTTPListenAddress(host: "::1", port: 0))
        #expect(HTTPListenAddress(parsing: "[::1]:0")?.description == "[::1]:0")
        for bad in ["", "x", "70000", "::1:80", "[::1]", "[]:80", ":80", "1.2.3.4:", "-1"] {
            #expect(HTTPListenAddress(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func socketAddressTakesOnlyLiterals() throws {
        #expect(try SocketAddress(host: "::1", port: 9).description == "[::1]:9")
        #expect(try SocketAddress(host: "127.0.0.1", port: 9).description == "127.0.0.1:9")
        #expect(throws: HTTPServerError.self) { try SocketAddress(host: "example.com", port: 9) }
        #expect(throws: HTTPServerError.self) { try SocketAddress(host: "127.0.0.1", port: 65_536) }
    }

    @Test func headersAreCaseInsensitiveAndTokenAware() {
        var headers: HTTPHeaders = ["Content-Type": "text/plain", "Connection": "Keep-Alive, Upgrade"]
        #expect(headers["content-type"] == "text/plain")
        #expect(headers.contains(token: "upgrade", in: "CONNECTION"))
        #expect(!headers.contains(token: "close", in: "Connection"))
        headers.set("CONTENT-TYPE", "application/json")
        #expect(headers.values(for: "content-type") == ["application/json"])
    }

    @Test func responseHeadDropsFramingAndLineBreaksFromTheHandler() {
        let head = HTTPServerResponse.head(
            status: 200,
            headers: ["Content-Length": "999", "X-Ok": "yes", "X-Bad": "a\r\nInjected: 1"],
            framing: ["Content-Length": "2"]
        )
        let text = String(decoding: head, as: UTF8.self)
        #expect(text == "HTTP/1.1 200 OK\r\nX-Ok: yes\r\nContent-Length: 2\r\n\r\n")
    }

    @Test func serverSentEventsSplitDataLinesAndKeepFieldsOnOneLine() {
        #expect(
            HTTPResponseWriter.event(data: "a\nb", event: "pro\ngress", id: "7")
                == "event: progress\nid: 7\ndata: a\ndata: b\n\n"
        )
        #expect(HTTPResponseWriter.event(data: "{}", event: nil, id: nil) == "data: {}\n\n")
    }
}
