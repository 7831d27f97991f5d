// swift-tools-version:6.0
import PackageDescription

// No dependencies, by design: one small binary, fast clean builds, nothing to audit.
let package = Package(
    name: "social-data-mcp",
    // macOS 14 is the oldest the server supports; nothing here needs a newer SDK.
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "social-data-mcp", targets: ["social-data-mcp"]),
        .library(name: "SocialDataMCP", targets: ["SocialDataMCP"]),
    ],
    dependencies: [],
    targets: [
        // A lock that works on macOS 14 (Synchronization.Mutex needs 15), shared by the
        // server and the stand-in.
        .target(name: "Locking"),
        // The providers' documented examples (Fixtures/, as Swift source written by
        // scripts/generate), served by the stand-in and by the server's sandbox mode.
        .target(name: "SeedFixtures"),
        .target(name: "SocialDataMCP", dependencies: ["Locking", "SeedFixtures"]),
        .executableTarget(name: "social-data-mcp", dependencies: ["SocialDataMCP"]),
        // The loopback stand-in for the five providers: used by the end-to-end tests,
        // the Python interop suite and the benchmark. Never part of the shipped binary.
        .target(name: "LoopbackStandIn", dependencies: ["Locking", "SeedFixtures"]),
        .executableTarget(name: "social-data-standin", dependencies: ["LoopbackStandIn"]),
        // The team server's HTTP/1.1 layer over POSIX sockets, independent of MCP.
        .target(name: "HTTPServer", dependencies: ["Locking"]),
        // Team members, their limits and hashed tokens (`members.json`); no sockets, so the
        // CLI's `member` commands and the server's auth share it without the HTTP layer.
        .target(name: "Members", dependencies: ["Locking"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer"]),
        .testTarget(name: "MembersTests", dependencies: ["Members"]),
        .testTarget(name: "SocialDataMCPTests", dependencies: ["SocialDataMCP", "Locking"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["SocialDataMCP", "LoopbackStandIn", "Locking", "SeedFixtures"]
        ),
    ]
)
