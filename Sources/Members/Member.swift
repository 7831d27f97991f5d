import Foundation

/// A person on the team: a name, their own spending limits and the toolsets they may use.
///
/// Never holds a token: the store keeps only the token's SHA-256, next to this record.
public struct Member: Codable, Sendable, Equatable {
    /// The unique name, as given to `member add` (letters, digits, `.`, `_`, `-`, `@`).
    public var name: String
    /// Yuan this member may spend per local day; nil for no limit of their own.
    public var dailyLimitCNY: Double?
    /// Yuan this member may spend per local calendar month; nil for none.
    public var monthlyLimitCNY: Double?
    /// CreatiVault credits per day; nil for none.
    public var dailyLimitCredits: Int?
    /// CreatiVault credits per month; nil for none.
    public var monthlyLimitCredits: Int?
    /// The toolsets this member may call; nil for the server's own selection.
    public var toolsets: [String]?
    /// When the member was added.
    public var createdAt: Date
    /// When the token was last replaced; nil when never.
    public var rotatedAt: Date?

    /// A member record.
    public init(
        name: String,
        dailyLimitCNY: Double? = nil,
        monthlyLimitCNY: Double? = nil,
        dailyLimitCredits: Int? = nil,
        monthlyLimitCredits: Int? = nil,
        toolsets: [String]? = nil,
        createdAt: Date = Date(),
        rotatedAt: Date? = nil
    ) {
        self.name = name
        self.dailyLimitCNY = dailyLimitCNY
        self.monthlyLimitCNY = monthlyLimitCNY
        self.dailyLimitCredits = dailyLimitCredits
        self.monthlyLimitCredits = monthlyLimitCredits
        self.toolsets = toolsets
        self.createdAt = createdAt
        self.rotatedAt = rotatedAt
    }
}
