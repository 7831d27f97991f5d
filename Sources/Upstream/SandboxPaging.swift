import Foundation
import Wire

/// The page a sandbox request asks for, applied to the documented example so the sample
/// answers like the real provider would: as many items as the page size asks for (the
/// documented ones repeated, or trimmed), and the page fields saying the page asked for.
///
/// The documentation's examples have a fixed handful of items and `"page_size": 20`; an
/// agent tested against them with `page_size: 3` would learn the wrong thing.
struct SandboxPaging: Equatable {
    /// The page number asked for, when the request names one.
    var page: Int?
    /// The items per page asked for, when the request names it.
    var size: Int?

    /// The names a page size goes by, in requests and in answers (DataNexus `page_size`,
    /// CreatiVault `size`, DataTrust `per_page`, TikOmni `count`).
    static let sizeKeys: Set<String> = ["page_size", "size", "per_page", "count"]

    /// No sample grows past this, whatever the request says (every documented page size
    /// stops at 100).
    static let largestPage = 100

    /// The paging in `request`'s query or JSON body; `nil` when it names none.
    ///
    /// Only whole numbers count: `size` is also an image's `"1024x1024"`.
    init?(_ request: HTTPRequest) {
        var fields: [String: Int] = [:]
        let query = URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.queryItems ?? []
        for item in query {
            if let value = item.value.flatMap({ Int($0) }) { fields[item.name] = value }
        }
        if let body = request.body, let object = (try? JSONParser.parse(body))?.objectValue {
            for (name, value) in object {
                if case .int(let number) = value { fields[name] = number }
            }
        }
        page = fields["page"].flatMap { $0 >= 1 ? $0 : nil }
        size = Self.sizeKeys.sorted().compactMap { fields[$0] }.first.map { min(max($0, 1), Self.largestPage) }
        guard page != nil || size != nil else { return nil }
    }

    /// `reply` with its first list of items (a level's own lists before deeper ones, members
    /// by name) repeated or
    /// trimmed to ``size`` and its page fields set to what was asked.
    func apply(to reply: JSONValue) -> JSONValue {
        var resized = false
        return rewrite(reply, resized: &resized)
    }

    /// Rewrites one level: page fields here, then the first item list, then deeper levels.
    private func rewrite(_ value: JSONValue, resized: inout Bool) -> JSONValue {
        guard case .object(var members) = value else { return value }
        for (name, member) in members where member.intValue != nil {
            if let size, Self.sizeKeys.contains(name) { members[name] = .int(size) }
            if name == "page", let page { members[name] = .int(page) }
        }
        let names = members.keys.sorted()
        if !resized, let size {
            for name in names {
                guard case .array(let items) = members[name], !items.isEmpty,
                    items.allSatisfy({ $0.objectValue != nil })
                else { continue }
                members[name] = .array((0..<size).map { items[$0 % items.count] })
                resized = true
                // What is listed past this page can no longer be fewer than it shows.
                if let total = members["total"]?.intValue {
                    members["total"] = .int(max(total, ((page ?? 1) - 1) * size + size))
                }
                break
            }
        }
        for name in names where members[name]?.objectValue != nil {
            if let member = members[name] { members[name] = rewrite(member, resized: &resized) }
        }
        return .object(members)
    }
}
