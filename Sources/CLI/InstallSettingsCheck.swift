import Catalog
import Providers
import Spend
import ToolCall
import Wire

/// Refuses, at install time, a setting the server would refuse when the client starts it.
///
/// A value the server cannot parse would otherwise be written, and the client would show
/// only "server failed to start". The values go through the server's own parsers
/// (``Configuration`` and ``ToolCatalog``, which reads the toolsets and tool names), so the
/// two can never disagree; obvious placeholders copied from documentation are refused too.
public enum InstallSettingsCheck {
    /// Why a setting was refused; nothing has been written.
    public struct Refusal: Error, Sendable, Equatable {
        /// The reason, naming the setting.
        public let message: String
    }

    /// Checks the values an entry will hold (`values`: every setting written as a value).
    public static func check(_ values: [String: String]) throws(Refusal) {
        for variable in values.keys.sorted() {
            // The value is not repeated: it may be a real key that merely looks odd.
            if let value = values[variable], let why = placeholderReason(value) {
                throw Refusal(
                    message: "--env \(variable): the value looks like a placeholder (\(why)); give the real value"
                )
            }
        }
        do {
            let configuration = try ToolServices.configuration(Environment(values))
            _ = try ToolServices.catalog(selection: configuration.selection)
        } catch {
            throw Refusal(message: error.message)
        }
    }

    /// Why `value` looks like a placeholder rather than a value, or `nil` when it does not.
    public static func placeholderReason(_ value: String) -> String? {
        let upper = value.uppercased()
        if value.contains("…") || value.contains("...") { return "it contains an ellipsis" }
        if value.hasPrefix("<"), value.hasSuffix(">") { return "it is in angle brackets" }
        for word in ["YOUR_", "YOUR-", "YOURKEY", "YOUR KEY", "REPLACE_ME", "REPLACEME", "CHANGEME", "PLACEHOLDER"]
        where upper.contains(word) {
            return "it contains \(word.lowercased())"
        }
        if upper.count >= 4, upper.allSatisfy({ $0 == "X" }) { return "it is only x's" }
        return nil
    }
}
