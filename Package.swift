// swift-tools-version:6.1
import PackageDescription

#if canImport(Glibc)
import Glibc
#endif

/// Settings every Swift target shares (the NIO "standard cross-repo settings" idea).
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// How the release build links each tool (Linker/README.md tells why and how the order files are made):
/// lld; the functions the tool runs at start-up placed together (`--symbol-ordering-file`, from
/// Scripts/order-files; `-function-sections` comes from Scripts/release-flags.sh), so that starting touches few
/// pages; no dynamic export of every Swift symbol; libstdc++ from its static archive (the Swift runtime's only
/// C++ dependency: loading libstdc++.so.6 cost ~0.6 ms and ~0.9 MiB RSS) and the unwinder from libgcc_eh.a (so
/// libgcc_s.so.1 is not loaded either); and packed relative relocations (DT_RELR) where the C library reads them.
/// Unsafe flags are allowed here: executables are never a dependency of another package (the libraries are).
func releaseLinkSettings(tool: String) -> [LinkerSetting] {
    let folder = Context.packageDirectory + "/Linker"
    var flags = [
        "-use-ld=lld",
        "-Xlinker", "--symbol-ordering-file=\(folder)/\(tool).order", "-Xlinker", "--no-warn-symbol-ordering",
        "-Xlinker", "--no-export-dynamic",
        "-L", "\(folder)/static-libstdc++", "-Xlinker", "-l:libgcc_eh.a",
    ]
    if cLibraryHasRELR {
        flags += ["-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"]
    }
    return [.unsafeFlags(flags, .when(platforms: [.linux], configuration: .release))]
}

/// Whether the build machine's glibc is 2.36 or later, the first to load DT_RELR relocations.
/// The tools are built where they run (Scripts/install), so the build machine's glibc is the one that loads them.
let cLibraryHasRELR: Bool = {
    #if canImport(Glibc)
    var buffer = [CChar](repeating: 0, count: 64)  // confstr(_CS_GNU_LIBC_VERSION): "glibc 2.36"
    guard confstr(Int32(_CS_GNU_LIBC_VERSION), &buffer, buffer.count) > 0 else { return false }
    let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let version = text.dropFirst("glibc ".count).split(separator: ".").compactMap { Int($0) }
    return version.count >= 2 && (version[0], version[1]) >= (2, 36)
    #else
    return false
    #endif
}()

let package = Package(
    name: "usbip-swift",
    platforms: [.macOS(.v15)],
    products: [
        // The wire codec is the one API meant for other packages (a USB/IP peer, a test tool, a fuzzer): every
        // other target is `package`-internal (Documentation/architecture.md).
        .library(name: "USBIPWire", targets: ["USBIPWire"]),
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
        // libudev, as the C tools use it for device enumeration; loaded with dlopen when first needed (only
        // `usbip list -l` uses it), so no tool pays for loading it at start-up. Builds with libudev-dev's header.
        .target(
            name: "CUdev",
            linkerSettings: [.linkedLibrary("dl")]
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
        // The layers, bottom up (Documentation/architecture.md): each depends only on the ones below it.
        // The PDUs and model types: pure value code (no Glibc, no I/O, no Logging); what the fuzzer builds.
        .target(name: "USBIPWire", swiftSettings: strictSettings),
        // The error every layer reports, and the log and console output the tools and daemons share.
        .target(
            name: "USBIPSupport",
            dependencies: [
                "USBIPWire",
                "CShims",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
        // sysfs, usbip-host, vhci_hcd, usbip-vudc, device enumeration (libudev and sysfs), usb.ids, connection records.
        .target(
            name: "USBIPKernel",
            dependencies: [
                "USBIPWire",
                "USBIPSupport",
                "CUdev",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
        // TCP connections with deadlines, listeners, socket addresses, the access-policy protocol.
        .target(
            name: "USBIPNet",
            dependencies: [
                "USBIPWire",
                "USBIPSupport",
                "CShims",
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
        // What a command or a request does: list -r, attach, connect/disconnect, the two request handlers. The one
        // place where wire, kernel and net meet.
        .target(
            name: "USBIPOperations",
            dependencies: [
                "USBIPWire",
                "USBIPSupport",
                "USBIPKernel",
                "USBIPNet",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
        // The daemons' machinery: accept loop, worker pool, signals, pid file, sd_notify, and the shell usbipd and
        // usbipa share (options, -D, logging). No ArgumentParser (and the FoundationEssentials it pulls in).
        .target(
            name: "USBIPDaemon",
            dependencies: [
                "USBIPWire",
                "USBIPSupport",
                "USBIPKernel",
                "USBIPNet",
                "USBIPOperations",
                "CShims",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
        // TCP wrappers gating (hosts.allow / hosts.deny) for the daemons' accept loop.
        .target(
            name: "USBIPTCPWrappers",
            dependencies: ["USBIPNet", "CLibWrap"],
            swiftSettings: strictSettings
        ),
        // usbip's commands (ArgumentParser); never links the daemon layer.
        .target(
            name: "USBIPCommands",
            dependencies: [
                "USBIPWire",
                "USBIPSupport",
                "USBIPKernel",
                "USBIPNet",
                "USBIPOperations",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "usbip", dependencies: ["USBIPCommands"], swiftSettings: strictSettings,
            linkerSettings: releaseLinkSettings(tool: "usbip")),
        // usbipd and usbipa: the daemon shell with their request handler and TCP wrappers.
        .target(
            name: "USBIPDaemonCommands",
            dependencies: [
                "USBIPDaemon",
                "USBIPOperations",
                "USBIPKernel",
                "USBIPNet",
                "USBIPTCPWrappers",
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "usbipd", dependencies: ["USBIPDaemonCommands"], swiftSettings: strictSettings,
            linkerSettings: releaseLinkSettings(tool: "usbipd")),
        .executableTarget(
            name: "usbipa", dependencies: ["USBIPDaemonCommands"], swiftSettings: strictSettings,
            linkerSettings: releaseLinkSettings(tool: "usbipa")),

        // Test support: sysfs fixture trees, captured golden files, in-memory streams, the pinned usb.ids.
        .target(
            name: "USBIPTestSupport",
            dependencies: [
                "USBIPWire",
                "USBIPSupport",
                "USBIPKernel",
                "USBIPNet",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Tests/USBIPTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "USBIPWireTests",
            dependencies: ["USBIPWire", "USBIPSupport", "USBIPTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "USBIPKernelTests",
            dependencies: [
                "USBIPWire", "USBIPSupport", "USBIPKernel", "USBIPTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "USBIPOperationsTests",
            dependencies: [
                "USBIPWire", "USBIPSupport", "USBIPKernel", "USBIPNet", "USBIPOperations", "USBIPTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "USBIPDaemonTests",
            dependencies: [
                "USBIPWire", "USBIPSupport", "USBIPKernel", "USBIPNet", "USBIPOperations", "USBIPDaemon",
                "USBIPTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
        // libwrap against a real loopback connection with temporary rule files.
        .testTarget(
            name: "USBIPTCPWrappersTests",
            dependencies: ["USBIPTCPWrappers", "USBIPNet", "USBIPSupport", "USBIPTestSupport"],
            swiftSettings: strictSettings
        ),
        // The built tools run as processes (ToolRunner): completion scripts, golden outputs against the captures.
        .testTarget(
            name: "USBIPCommandsTests",
            dependencies: [
                "USBIPCommands",
                "USBIPWire",
                "USBIPSupport",
                "USBIPKernel",
                "USBIPNet",
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
                "USBIPWire",
                "USBIPSupport",
                "USBIPKernel",
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
