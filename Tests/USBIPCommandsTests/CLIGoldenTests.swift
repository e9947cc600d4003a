#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import SystemPackage
import Testing
import USBIPTestSupport

/// The built `usbip` run as a process against the captured sysfs trees; stdout must equal what Debian's C
/// `usbip` printed on the same kernel (`Tests/Fixtures/outputs/NAME.stdout`), byte for byte.
@Suite struct CLIGoldenTests {
    /// A captured output file's text.
    static func golden(_ name: String) throws -> String {
        let fd = try FileDescriptor.open(Fixtures.path("outputs/" + name), .readOnly)
        return try fd.closeAfter {
            var data: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = try buffer.withUnsafeMutableBytes { try fd.read(into: $0) }
                if n == 0 { break }
                data += buffer[0..<n]
            }
            return String(decoding: data, as: UTF8.self)
        }
    }

    static func capture(_ name: String) -> String { Fixtures.path(name + "/sys").string }

    /// The usb.ids the C tool read when the outputs were captured (Debian: /usr/share/misc/usb.ids, a link to
    /// usbutils' copy; hwdata has another). `nil` when none is installed.
    static let usbIDs: String? = ["/usr/share/misc/usb.ids", "/usr/share/hwdata/usb.ids", "/var/lib/usbutils/usb.ids"]
        .first { access($0, R_OK) == 0 }

    static func requireUSBIDs() throws -> String {
        guard let path = usbIDs else {
            Issue.record("no usb.ids file (looked for /usr/share/misc/usb.ids, /usr/share/hwdata/usb.ids, /var/lib/usbutils/usb.ids): install usbutils or hwdata")
            throw ToolRunner.Failure(description: "no usb.ids")
        }
        return path
    }

    // MARK: - list, port

    @Test func listLocalEqualsC() throws {
        let result = try runTool(["--sysfs-root", Self.capture("sysfs-idle"), "--usb-ids", try Self.requireUSBIDs(), "list", "-l"])
        #expect(result == ToolResult(status: 0, stdout: try Self.golden("list-l.stdout"), stderr: ""))
    }

    @Test func listLocalWithAnAttachedDeviceEqualsC() throws {
        let result = try runTool([
            "--sysfs-root", Self.capture("sysfs-attached"), "--usb-ids", try Self.requireUSBIDs(), "list", "-l",
        ])
        #expect(result == ToolResult(status: 0, stdout: try Self.golden("list-l-attached.stdout"), stderr: ""))
    }

    @Test func listLocalReadsSysfsWhenLibudevCannotBeLoaded() throws {
        // On this machine's /sys: through libudev, then with a library name that does not exist.
        let normal = try runTool(["list", "-l"])
        let fallback = try runTool(["--debug", "--libudev", "libudev-missing.so.9", "list", "-l"])
        #expect(fallback.status == normal.status)
        #expect(fallback.stdout == normal.stdout)
        #expect(fallback.stderr.contains("cannot load libudev-missing.so.9 ("), "\(fallback.stderr)")
        #expect(fallback.stderr.contains("install libudev1; reading /sys directly"), "\(fallback.stderr)")
        #expect(!normal.stderr.contains("cannot load"))
    }

    @Test func listParsableLocalEqualsC() throws {
        let result = try runTool(["--sysfs-root", Self.capture("sysfs-idle"), "--usb-ids", try Self.requireUSBIDs(), "list", "-p", "-l"])
        #expect(result == ToolResult(status: 0, stdout: try Self.golden("list-pl.stdout"), stderr: ""))
    }

    @Test func listDeviceWithoutGadgetsEqualsC() throws {
        let result = try runTool(["--sysfs-root", Self.capture("sysfs-idle"), "list", "-d"])
        #expect(result == ToolResult(status: 0, stdout: try Self.golden("list-d-empty.stdout"), stderr: ""))
    }

    @Test func portEqualsC() throws {
        let result = try runTool([
            "--sysfs-root", Self.capture("sysfs-attached"), "--record-dir", Fixtures.path("vhci_records").string,
            "--usb-ids", try Self.requireUSBIDs(), "port",
        ])
        #expect(result == ToolResult(status: 0, stdout: try Self.golden("port.stdout"), stderr: ""))
    }

    @Test func portWithNothingImportedEqualsC() throws {
        let result = try runTool(["--sysfs-root", Self.capture("sysfs-idle"), "port"])
        #expect(result == ToolResult(status: 0, stdout: try Self.golden("port-empty.stdout"), stderr: ""))
    }

    // MARK: - version, help

    @Test func versionEqualsC() throws {
        #expect(try runTool(["version"]) == ToolResult(status: 0, stdout: try Self.golden("version.stdout"), stderr: ""))
    }

    @Test(arguments: ["attach", "bind", "unbind", "detach", "list"])
    func commandHelpEqualsC(command: String) throws {
        let result = try runTool(["help", command])
        #expect(result == ToolResult(status: 0, stdout: try Self.golden("help-\(command).stdout"), stderr: ""))
    }

    /// Documented difference: the command list also names usbip-next's `connect` and `disconnect` (the mainline
    /// C tool of the capture has neither); every other line is the C text.
    static func expectedCommandList() throws -> String {
        var lines = try golden("help.stdout").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let detach = lines.firstIndex(where: { $0.hasPrefix("  detach ") }) else {
            Issue.record("help.stdout has no detach line")
            return ""
        }
        lines.insert(contentsOf: [
            "  connect    Connect a USB device to a remote computer",
            "  disconnect Disconnect a USB device from a remote computer",
        ], at: detach + 1)
        return lines.joined(separator: "\n")
    }

    @Test func helpIsTheCListPlusConnectAndDisconnect() throws {
        #expect(try runTool(["help"]) == ToolResult(status: 0, stdout: try Self.expectedCommandList(), stderr: ""))
    }

    @Test func noCommandPrintsTheListAndFailsAsC() throws {
        #expect(try Self.golden("noargs.rc") == "1\n")
        #expect(try runTool([]) == ToolResult(status: 1, stdout: try Self.expectedCommandList(), stderr: ""))
    }

    /// Documented difference: C has no usage for `port` (`usbip help port` prints the list and exits 1); this
    /// tool prints one.
    @Test func helpPortPrintsAUsage() throws {
        let result = try runTool(["help", "port"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("usage: usbip port\n"), "\(result)")
    }

    @Test func helpOfAnUnknownCommandPrintsTheListAndFails() throws {
        #expect(try runTool(["help", "frobnicate"]) == ToolResult(status: 1, stdout: try Self.expectedCommandList(), stderr: ""))
    }

    // MARK: - Usage errors

    @Test(arguments: [["-t", "abc", "version"], ["-t", "0", "version"], ["-t", "65536", "version"], ["--tcp-port=x", "list", "-r", "h"]])
    func badTCPPortFails(arguments: [String]) throws {
        let result = try runTool(arguments)
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("usbip: error: invalid TCP port"), "\(result)")
    }

    @Test func unknownGlobalOptionFailsWithTheUsage() throws {
        let result = try runTool(["-x", "version"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("usbip: error: invalid option '-x'\nusage: usbip "), "\(result)")
    }

    @Test(arguments: [["frobnicate"], ["list", "--bogus"], ["attach", "-r", "h"], ["detach"], ["bind"]])
    func usageErrorsFailWithTheErrorPrefix(arguments: [String]) throws {
        let result = try runTool(arguments)
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        #expect(result.stderr.hasPrefix("usbip: error: "), "\(result)")
    }

    @Test func detachOfANonNumberFails() throws {
        let result = try runTool(["--sysfs-root", Self.capture("sysfs-idle"), "detach", "-p", "abc"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("usbip: error: invalid port abc"), "\(result)")
    }
}
