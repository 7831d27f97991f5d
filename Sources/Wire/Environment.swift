import Foundation

/// The variables the server reads, injected so tests never call `setenv`.
public struct Environment: Sendable {
    /// The variables by name.
    public var values: [String: String]

    /// Wraps a dictionary of variables.
    public init(_ values: [String: String] = [:]) {
        self.values = values
    }

    /// The running process's environment.
    public static var process: Environment { Environment(ProcessInfo.processInfo.environment) }

    /// The value of `name`, treating an empty or all-blank value as unset (MCP clients
    /// often write `"DATANEXUS_API_KEY": ""` placeholders into their config).
    public subscript(name: String) -> String? {
        guard let value = values[name]?.trimmed, !value.isEmpty else {
            return nil
        }
        return value
    }

    /// A copy with `overrides` applied on top.
    public func merging(_ overrides: [String: String]) -> Environment {
        Environment(values.merging(overrides) { _, new in new })
    }

    /// A copy without these variables.
    public func removing(_ names: [String]) -> Environment {
        Environment(values.filter { name, _ in !names.contains(name) })
    }
}
