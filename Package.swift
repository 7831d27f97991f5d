// swift-tools-version:6.0
import PackageDescription

// No dependencies, by design: one small binary, fast clean builds, nothing to audit.
let package = Package(
    name: "social-data-mcp",
    products: [
        .executable(name: "social-data-mcp", targets: ["social-data-mcp"]),
        .library(name: "SocialDataMCP", targets: ["SocialDataMCP"]),
    ],
    dependencies: [],
    targets: [
        .target(name: "SocialDataMCP"),
        .executableTarget(name: "social-data-mcp", dependencies: ["SocialDataMCP"]),
        // The loopback stand-in for the five providers: used by the end-to-end tests,
        // the Python interop suite and the benchmark. Never part of the shipped binary.
        .target(name: "LoopbackStandIn"),
        .executableTarget(name: "social-data-standin", dependencies: ["LoopbackStandIn"]),
        .testTarget(name: "SocialDataMCPTests", dependencies: ["SocialDataMCP"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["SocialDataMCP", "LoopbackStandIn"]
        ),
    ]
)
