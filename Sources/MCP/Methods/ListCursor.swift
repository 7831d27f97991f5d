import Wire

/// The `cursor` of a list request.
enum ListCursor {
    /// The offset a cursor names, or 0 without one.
    ///
    /// `pages` is the number of items of a paginated list, or `nil` for a list that always
    /// fits one page (any cursor is then unknown).
    static func offset(_ params: [String: JSONValue], items pages: Int?, method: String) -> Result<Int, RPCError> {
        switch params["cursor"] {
        case nil, .null?:
            return .success(0)
        case .string(let cursor)?:
            guard let count = pages else {
                return .failure(.invalidParams("unknown cursor \"\(cursor)\"; \(method) has one page"))
            }
            guard cursor.hasPrefix("offset:"), let value = Int(cursor.dropFirst(7)), (0..<count).contains(value)
            else {
                return .failure(.invalidParams("unknown cursor \"\(cursor)\"; start again without one"))
            }
            return .success(value)
        case let other?:
            return .failure(.invalidParams("\"cursor\" must be a string, got \(other.typeName)"))
        }
    }
}
