import Foundation

// Filled in with the other providers' documented answers.
extension DocumentedResponses {
    static func creatiVault(_ request: RecordedRequest, _ path: String, state: StandInState) -> StubResponse {
        .json(404, ["success": false])
    }
    static func dataTrust(_ request: RecordedRequest, _ path: String) -> StubResponse { .json(404, ["success": false]) }
}
