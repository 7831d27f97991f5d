import Catalog
import Spend
import Wire

/// Checks the arguments against the row before anything else: a bad call costs nothing.
///
/// Secrets passed as arguments (a cookie) are registered with the redactor here, before
/// any output could echo them.
struct ValidateStage: CallStage {
    let environment: Environment
    let secrets: SecretRedactor

    func handle(_ call: PendingCall, next: @escaping NextStage) async -> CallOutcome {
        var call = call
        do {
            call.arguments = try ArgumentValidator.validate(call.given, for: call.tool, environment: environment)
        } catch {
            return .failed(.invalidArguments(tool: call.tool.name, error), charge: nil)
        }
        for parameter in call.tool.parameters where parameter.isSecret {
            if let value = call.arguments[parameter.name]?.stringValue { secrets.register(value) }
        }
        call.cost = CallCost(price: call.tool.price, arguments: call.arguments)
        return await next(call)
    }
}
