import Wire

extension ClientInstaller {
    /// The config text with the server's entry pointing at a team server (`url`) whose
    /// member token the client reads from `tokenVariable` when it connects; `nil` when
    /// nothing changes.
    ///
    /// A stdio entry under the same name loses its `command`, `args` and `env` (they mean
    /// nothing to a remote entry) and keeps any key the user added; only a reference to the
    /// token is written, never the token. The caller has checked that the client has a ``RemoteEntryForm``.
    public func mergedRemote(
        into existing: String,
        url: String,
        tokenVariable: String,
        tokenMeaning: String
    ) throws(ConfigFileError) -> String? {
        guard let form = client.remote else { return nil }
        let name = ServerIdentity.registrationName
        do {
            if client.format == .toml {
                return try TOMLConfigEditor().replace(
                    named: name,
                    under: client.container,
                    with: [(form.urlKey, url), ("bearer_token_env_var", tokenVariable)],
                    in: existing
                )
            }
            var entry = form.fields
            entry[form.urlKey] = .string(url)
            let reference = referenceForm(tokenVariable, secret: true)
            entry["headers"] = ["Authorization": .string("Bearer \(reference)")]
            let editor = JSONConfigEditor(allowsComments: client.format == .jsonc)
            // What a stdio entry has and a remote one must not; the user's own keys stay.
            var cleared = existing
            for key in ["command", "args", "env"] {
                cleared = try editor.remove(at: [client.container, name, key], in: cleared) ?? cleared
            }
            var text = try editor.upsert(.object(entry), named: name, under: client.container, in: cleared) ?? cleared
            if client.promptsForSecrets {
                let input: JSONValue = [
                    "type": "promptString", "id": .string(client.inputID(tokenVariable)),
                    "description": .string("\(tokenMeaning) (\(name))"), "password": true,
                ]
                text = try editor.appendUnlessPresent(input, toArray: "inputs", in: text)
            }
            return text == existing ? nil : text
        } catch {
            throw fileError(error)
        }
    }
}
