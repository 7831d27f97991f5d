// swift-tools-version:6.0
import PackageDescription

// No dependencies, by design: one small binary, fast clean builds, nothing to audit.
//
// The library is split along the path of one call, and a target may only depend on the
// targets listed before it, so a dependency cycle is a build error, not a review comment:
//
//   Locking, SeedFixtures          leaf helpers (a lock for macOS 14; the providers' examples)
//   Wire                           JSON, JSON-RPC, the stdio loop, clock, redaction, the OS seam
//   MCP                            the MCP server: one type per method, eras, capabilities
//   Catalog                        the row, toolsets, schemas, validation, a call's outcome types
//   Spend                          money, limits, quotes, both ledgers behind SpendGuard, settings
//   Upstream                       transport, requests, retries, pacing, cache, envelopes
//   Providers                      the five providers, quirks included, and the one table
//   ToolCall                       the call pipeline, assembled once per process; MCP's application
//   Install, Export, MCPBundle     client rows and config editors; exports and SKILL.md; the .mcpb
//   CLI                            the command table
//   social-data-mcp                the thin executable
let package = Package(
    name: "social-data-mcp",
    // macOS 14 is the oldest the server supports; nothing here needs a newer SDK.
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "social-data-mcp", targets: ["social-data-mcp"])
    ],
    dependencies: [],
    targets: [
        // A lock that works on macOS 14 (Synchronization.Mutex needs 15), shared by the
        // server and the stand-in.
        .target(name: "Locking"),
        // The providers' documented examples (Fixtures/, as Swift source written by
        // scripts/generate), served by the stand-in and by the server's sandbox mode.
        .target(name: "SeedFixtures"),
        .target(name: "Wire", dependencies: ["Locking"]),
        .target(name: "MCP", dependencies: ["Wire", "Locking"]),
        .target(name: "Catalog", dependencies: ["Wire"]),
        .target(name: "Spend", dependencies: ["Catalog", "Wire", "Locking"]),
        .target(name: "Upstream", dependencies: ["Catalog", "Wire", "Locking", "SeedFixtures"]),
        .target(name: "Providers", dependencies: ["Upstream", "Catalog", "Wire", "Locking", "SeedFixtures"]),
        .target(
            name: "ToolCall",
            dependencies: ["Providers", "Upstream", "Spend", "Catalog", "MCP", "Wire", "Locking", "SeedFixtures"]
        ),
        .target(name: "Install", dependencies: ["Wire"]),
        .target(name: "Export", dependencies: ["ToolCall", "Providers", "Spend", "Catalog", "Wire"]),
        .target(name: "MCPBundle", dependencies: ["Export", "ToolCall", "Providers", "Spend", "Catalog", "Wire"]),
        .target(
            name: "CLI",
            dependencies: [
                "MCPBundle", "Export", "Install", "TeamServer", "Members", "HTTPServer", "ToolCall", "Providers",
                "Upstream", "Spend", "Catalog", "MCP", "Wire", "Locking",
            ]
        ),
        .executableTarget(name: "social-data-mcp", dependencies: ["CLI"]),
        // Test doubles (a manual clock, in-memory bytes, a gated transport): linked into the
        // tests only, never into the shipped binary.
        .target(name: "SocialDataMCPTesting", dependencies: ["Upstream", "Wire", "Locking"]),
        // The loopback stand-in for the five providers: used by the end-to-end tests,
        // the Python interop suite and the benchmark. Never part of the shipped binary.
        .target(name: "LoopbackStandIn", dependencies: ["Locking", "SeedFixtures"]),
        .executableTarget(name: "social-data-standin", dependencies: ["LoopbackStandIn"]),
        // The team server's HTTP/1.1 layer over POSIX sockets, independent of MCP.
        .target(name: "HTTPServer", dependencies: ["Locking"]),
        // Team members, their limits and hashed tokens (`members.json`); no sockets, so the
        // CLI's `member` commands and the server's auth share it without the HTTP layer.
        .target(name: "Members", dependencies: ["Wire", "Locking"]),
        // MCP over Streamable HTTP for a team (`serve --http`): members' tokens, sessions and
        // streams in front of the same MCPServer, and so the same call pipeline, as stdio.
        .target(name: "TeamServer", dependencies: ["HTTPServer", "Members", "MCP", "Wire", "Locking"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer"]),
        .testTarget(name: "MembersTests", dependencies: ["Members", "Wire"]),
        .testTarget(name: "TeamServerTests", dependencies: ["TeamServer", "MCP", "Wire", "Locking"]),
        .testTarget(
            name: "SocialDataMCPTests",
            dependencies: [
                "CLI", "MCPBundle", "Export", "Install", "ToolCall", "Providers", "Upstream", "Spend", "Catalog",
                "MCP", "Wire", "Locking", "SocialDataMCPTesting",
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "CLI", "MCPBundle", "Export", "Install", "ToolCall", "Providers", "Upstream", "Spend", "Catalog",
                "MCP", "Wire", "Locking", "SocialDataMCPTesting", "LoopbackStandIn", "SeedFixtures",
            ]
        ),
    ]
)
