// swift-tools-version:6.1
import PackageDescription

/// Settings every Swift target shares (the NIO "standard cross-repo settings" idea).
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "usbip-swift",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "USBIPCore", targets: ["USBIPCore"]),
        .library(name: "USBIPTCPWrappers", targets: ["USBIPTCPWrappers"]),
        .executable(name: "usbip", targets: ["usbip"]),
        .executable(name: "usbipd", targets: ["usbipd"]),
        .executable(name: "usbipa", targets: ["usbipa"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
    ],
    targets: [
        // libudev, as the C tools use it for device enumeration.
        .systemLibrary(
            name: "CUdev",
            pkgConfig: "libudev",
            providers: [.apt(["libudev-dev"])]
        ),
        // What Swift cannot call directly: GNU-only glibc calls (accept4, signalfd, POSIX_SPAWN_SETSID) and the
        // variadic syslog.
        .target(
            name: "CShims",
            cSettings: [.define("_GNU_SOURCE")]
        ),
        // libwrap's variadic request_init and the allow_severity/deny_severity globals it expects from the
        // program. Only the daemons link it (through USBIPTCPWrappers), so usbip never loads libwrap's chain.
        .target(
            name: "CLibWrap",
            linkerSettings: [.linkedLibrary("wrap")]
        ),
        .target(
            name: "USBIPCore",
            dependencies: [
                "CUdev",
                "CShims",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
        // TCP wrappers gating (hosts.allow / hosts.deny) for the daemons' accept loop.
        .target(
            name: "USBIPTCPWrappers",
            dependencies: ["USBIPCore", "CLibWrap"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "USBIPCommands",
            dependencies: [
                "USBIPCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(name: "usbip", dependencies: ["USBIPCommands"], swiftSettings: strictSettings),
        // The daemons' command shell, without ArgumentParser (and the FoundationEssentials it pulls in).
        .target(
            name: "USBIPDaemonCommands",
            dependencies: [
                "USBIPCore",
                "USBIPTCPWrappers",
                "CShims",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(name: "usbipd", dependencies: ["USBIPDaemonCommands"], swiftSettings: strictSettings),
        .executableTarget(name: "usbipa", dependencies: ["USBIPDaemonCommands"], swiftSettings: strictSettings),

        // Test support: sysfs fixture trees, captured golden files, in-memory streams.
        .target(
            name: "USBIPTestSupport",
            dependencies: [
                "USBIPCore",
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Tests/USBIPTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "USBIPCoreTests",
            dependencies: [
                "USBIPCore",
                "USBIPTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
        // libwrap against a real loopback connection with temporary rule files.
        .testTarget(
            name: "USBIPTCPWrappersTests",
            dependencies: ["USBIPTCPWrappers", "USBIPCore", "USBIPTestSupport"],
            swiftSettings: strictSettings
        ),
        // The built tools run as processes (ToolRunner): completion scripts, golden outputs against the captures.
        .testTarget(
            name: "USBIPCommandsTests",
            dependencies: [
                "USBIPCommands",
                "USBIPCore",
                "USBIPTestSupport",
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
        // System tests: run only inside the test VM, where Scripts/system-tests sets USBIP_SYSTEM_TESTS=1
        // (a plain `swift test` reports them as skipped). See Tests/System/ and Scripts/vm/README.md.
        .testTarget(
            name: "USBIPSystemTests",
            dependencies: [
                "USBIPCore",
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
