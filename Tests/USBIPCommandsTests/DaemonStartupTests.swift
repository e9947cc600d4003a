import Testing
import USBIPTestSupport

/// The built daemons run as processes on an empty sysfs tree: they refuse to start, saying why on stderr in the C
/// format (`<program>: error: …`, one line each), and exit 1. (Serving is checked in the VM: 50-usbipd.sh.)
@Suite struct DaemonStartupTests {
    @Test func usbipdWithoutUsbipHostSaysSoAndExits1() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try runTool(["-t", "3291", "--sysfs-root", folder.path], tool: "usbipd")
        // Mainline's words, kept for scripts that look for them.
        let expected = "usbipd: error: please load usbip-core.ko and usbip-host.ko!\n"
        #expect(result == ToolResult(status: 1, stdout: "", stderr: expected))
    }

    @Test func usbipaWithoutVHCISaysSoAndExits1() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try runTool(["-t", "3292", "--sysfs-root", folder.path], tool: "usbipa")
        let expected = "usbipa: error: vhci_hcd is not loaded: run 'modprobe vhci-hcd'\n"
        #expect(result == ToolResult(status: 1, stdout: "", stderr: expected))
    }

    @Test func usbipdHelpAndVersionAreDebiansByteForByte() throws {
        #expect(try runTool(["-h"], tool: "usbipd") == ToolResult(status: 0, stdout: try CLIGoldenTests.golden("usbipd-help.stdout"), stderr: ""))
        #expect(try runTool(["--help"], tool: "usbipd") == ToolResult(status: 0, stdout: try CLIGoldenTests.golden("usbipd-help.stdout"), stderr: ""))
        #expect(try runTool(["-v"], tool: "usbipd") == ToolResult(status: 0, stdout: try CLIGoldenTests.golden("usbipd-version.stdout"), stderr: ""))
    }

    @Test func anUnknownOptionPrintsGetoptsLineAndTheHelpAndExits1() throws {
        let help = try CLIGoldenTests.golden("usbipd-help.stdout")
        #expect(try runTool(["-x"], tool: "usbipd") == ToolResult(status: 1, stdout: help, stderr: "usbipd: invalid option -- 'x'\n"))
        let usbipa = try runTool(["-e"], tool: "usbipa")
        #expect(usbipa.status == 1)
        #expect(usbipa.stderr == "usbipa: invalid option -- 'e'\n")
        #expect(usbipa.stdout.hasPrefix("usage: usbipa [options]\n") && !usbipa.stdout.contains("--device"), "\(usbipa)")
    }
}
