import Wire

/// Masks the secrets an install or uninstall may show (`--print` diffs, messages).
///
/// The values come from the command line and from the entries in the file before and
/// after the change, so a key written by an earlier install is masked too; a cookie's
/// `name=value` pairs are masked one by one, since a diff may split them.
public enum SecretMasking {
    /// A redactor that knows `values` and the values of their cookie pairs.
    public static func redactor(_ values: [String]) -> SecretRedactor {
        let redactor = SecretRedactor()
        for value in values {
            redactor.register(value)
            for pair in value.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { redactor.register(parts[1].trimmed) }
            }
        }
        return redactor
    }
}
