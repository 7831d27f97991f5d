import Catalog
import Foundation
import Providers
import Spend
import Testing
import ToolCall
import Upstream
import Wire

@Suite struct BaseURLPolicyTests {
    static let provider = DataNexus.provider

    private func allowed(_ url: String, _ variables: [String: String] = [:]) throws -> Bool {
        let parsed = try #require(URL(string: url))
        do {
            try BaseURLPolicy.check(
                parsed,
                variable: "DATANEXUS_BASE_URL",
                provider: Self.provider,
                environment: Environment(variables)
            )
            return true
        } catch {
            #expect(error.kind == .insecureBaseURL(variable: "DATANEXUS_BASE_URL"))
            return false
        }
    }

    @Test(arguments: [
        "https://api.example.com/v1", "http://127.0.0.1:8080/x", "http://127.3.4.5/", "http://localhost:1/",
        "http://[::1]:9/",
    ])
    func httpsAnywhereAndPlainHTTPOnThisMachine(_ url: String) throws {
        #expect(try allowed(url))
    }

    @Test(arguments: [
        "http://api.example.com/v1", "http://128.0.0.1/", "http://127.0.0.1.evil.example/", "http://10.0.0.1/",
        "ftp://api.example.com/", "file:///etc/passwd",
    ])
    func plainHTTPElsewhereAndOtherSchemesAreRefused(_ url: String) throws {
        #expect(try !allowed(url))
    }

    @Test func theInsecureSettingAllowsPlainHTTPButNoOtherScheme() throws {
        let insecure = ["SOCIAL_DATA_MCP_ALLOW_INSECURE_HTTP": "1"]
        #expect(try allowed("http://api.example.com/v1", insecure))
        #expect(try !allowed("file:///etc/passwd", insecure))
    }

    @Test func aMalformedSettingIsAStartupError() {
        #expect(throws: ConfigurationError.self) {
            try ToolServices.configuration(Environment(["SOCIAL_DATA_MCP_ALLOW_INSECURE_HTTP": "maybe"]))
        }
        #expect(throws: ConfigurationError.self) {
            try ToolServices.configuration(Environment(["SOCIAL_DATA_MCP_MAX_RESPONSE_MB": "0"]))
        }
        #expect(UpstreamSettings.maximumResponseBytes(Environment([:])) == 64 << 20)
        #expect(UpstreamSettings.maximumResponseBytes(Environment(["SOCIAL_DATA_MCP_MAX_RESPONSE_MB": "8"])) == 8 << 20)
    }
}
