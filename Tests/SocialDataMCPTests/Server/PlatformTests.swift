import Foundation
import Testing
import Wire

@Suite("Platform")
struct PlatformTests {
    @Test func stateDirectoryVariableWinsOverTheOSDefault() {
        let environment = Environment(["SOCIAL_DATA_MCP_STATE_DIR": "/srv/state", "HOME": "/home/ada"])
        #expect(Platform.defaultStateDirectory(environment: environment) == "/srv/state")
    }

    @Test func stateDirectoryFollowsTheOSConvention() {
        let home = Environment(["HOME": "/home/ada"])
        let xdg = Environment(["HOME": "/home/ada", "XDG_STATE_HOME": "/xdg/state"])
        switch Platform.current {
        case .darwin:
            #expect(
                Platform.defaultStateDirectory(environment: home)
                    == "/home/ada/Library/Application Support/social-data-mcp"
            )
        case .linux, .win32:
            #expect(Platform.defaultStateDirectory(environment: home) == "/home/ada/.local/state/social-data-mcp")
            #expect(Platform.defaultStateDirectory(environment: xdg) == "/xdg/state/social-data-mcp")
        }
    }

    @Test func executablePathIsAnAbsoluteExistingFile() {
        let path = Platform.executablePath
        #expect(path.hasPrefix("/"))
        #expect(FileManager.default.isExecutableFile(atPath: path))
        #expect(!path.split(separator: "/").contains(".."))
    }
}
