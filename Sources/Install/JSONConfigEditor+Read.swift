import Wire

/// Reading a value out of a config without changing it (for `doctor --client`).
extension JSONConfigEditor {
    /// The value at `path` (object keys from the root), with JSONC comments dropped, or
    /// `nil` when the file is empty or has nothing there.
    public func value(at path: [String], in text: String) throws(Malformed) -> JSONValue? {
        let bytes = Array(text.utf8)
        guard !bytes.allSatisfy({ [0x20, 0x0A, 0x0D, 0x09].contains($0) }) else { return nil }
        var node = try document(bytes)
        for key in path {
            guard case .object(let members, _) = node, let member = members.last(where: { $0.key == key }) else {
                return nil
            }
            node = member.value
        }
        return Self.value(of: node, in: bytes)
    }

    private static func value(of node: Node, in bytes: [UInt8]) -> JSONValue? {
        switch node {
        case .object(let members, _):
            var object: [String: JSONValue] = [:]
            for member in members { object[member.key] = value(of: member.value, in: bytes) }
            return .object(object)
        case .array(let elements, _):
            return .array(elements.compactMap { value(of: $0, in: bytes) })
        case .other(let range):
            return try? JSONParser.parse(bytes[range])
        }
    }
}
