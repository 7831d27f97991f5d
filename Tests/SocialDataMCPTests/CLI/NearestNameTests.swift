import Testing
import Wire

@Suite("nearest name: the suggestion for a mistyped command, client, option or tool")
struct NearestNameTests {
    @Test func aSwapOfTwoNeighbouringLettersIsOneEdit() {
        #expect(NearestName.distance("datanexsu", "datanexus") == 1)
        #expect(NearestName.distance("instal", "install") == 1)
        #expect(NearestName.distance("", "abc") == 3)
        #expect(NearestName.distance("kitten", "sitting") == 3)
    }

    @Test func theNearestComesFirstAndAtMostThree() {
        let commands = ["serve", "tools", "call", "skill", "install", "uninstall", "doctor", "usage", "help"]
        #expect(NearestName.matches(for: "instal", among: commands) == ["install", "uninstall"])
        #expect(NearestName.matches(for: "doctr", among: commands) == ["doctor"])
        #expect(
            NearestName.matches(for: "claude", among: ["claude-desktop", "claude-code", "cursor"]) == [
                "claude-code", "claude-desktop",
            ]
        )
        #expect(NearestName.matches(for: "a", among: ["ab", "ac", "ad", "ae"]).count <= 3)
    }

    @Test func nothingIsSuggestedForAValidOrFarName() {
        #expect(NearestName.matches(for: "install", among: ["install", "uninstall"]).isEmpty)
        #expect(NearestName.question(for: "frobnicate", among: ["serve", "tools", "doctor"]) == nil)
        #expect(NearestName.question(for: "", among: ["serve"]) == nil)
        #expect(NearestName.question(for: "tols", among: ["tools"]) == "did you mean 'tools'?")
    }
}
