import Foundation

// Filled in with the other providers' documented answers.
extension DocumentedResponses {
    static func geo(_ request: RecordedRequest, _ path: String) -> StubResponse {
        .json(404, ["error": ["code": "not_found"]])
    }
    static func tikOmni(_ request: RecordedRequest, _ path: String) -> StubResponse { .json(404, ["code": 404]) }
    static func creatiVault(_ request: RecordedRequest, _ path: String) -> StubResponse {
        .json(404, ["success": false])
    }
    static func dataTrust(_ request: RecordedRequest, _ path: String) -> StubResponse { .json(404, ["success": false]) }
}
