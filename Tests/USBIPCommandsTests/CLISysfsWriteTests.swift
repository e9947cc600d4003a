import SystemPackage
import Testing
import USBIPTestSupport

/// bind, unbind and detach run as processes on writable copies of the captured trees: the exact bytes they
/// write to the kernel's files, their messages and exit statuses.
@Suite struct CLISysfsWriteTests {
    /// The write-only kernel files the commands use, made empty so that a write shows exactly.
    static let kernelFiles: [SysfsFixture.Entry] = [
        .file("bus/usb/drivers/usb/bind", ""), .file("bus/usb/drivers/usb/unbind", ""),
        .file("bus/usb/drivers/usbip-host/bind", ""), .file("bus/usb/drivers/usbip-host/unbind", ""),
        .file("bus/usb/drivers/usbip-host/rebind", ""), .file("bus/usb/drivers/usbip-host/match_busid", ""),
        .file("bus/usb/drivers_probe", ""), .file("devices/platform/vhci_hcd.0/detach", ""),
    ]

    @Test func bindWritesWhatTheKernelExpects() throws {
        let fixture = try SysfsFixture.copy(of: "sysfs-idle", adding: Self.kernelFiles)
        defer { fixture.remove() }
        let result = try runTool(["--sysfs-root", fixture.root.string, "bind", "-b", "2-1"])
        #expect(result == ToolResult(status: 0, stdout: "", stderr: try CLIGoldenTests.golden("bind.stderr")))
        #expect(fixture.contents(of: "bus/usb/drivers/usb/unbind") == "2-1")
        #expect(fixture.contents(of: "bus/usb/drivers/usbip-host/match_busid") == "add 2-1")
        #expect(fixture.contents(of: "bus/usb/drivers/usbip-host/bind") == "2-1")
    }

    @Test func bindOfAnUnknownBusIDListsTheLocalDevices() throws {
        let fixture = try SysfsFixture.copy(of: "sysfs-idle", adding: Self.kernelFiles)
        defer { fixture.remove() }
        let result = try runTool(["--sysfs-root", fixture.root.string, "bind", "-b", "9-9"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("usbip: error: "), "\(result)")
        #expect(result.stderr.contains("9-9") && result.stderr.contains("1-2") && result.stderr.contains("2-1"), "\(result)")
        for file in ["bus/usb/drivers/usb/unbind", "bus/usb/drivers/usbip-host/match_busid", "bus/usb/drivers/usbip-host/bind"] {
            #expect(fixture.contents(of: file) == "", "\(file) written")
        }
    }

    @Test func bindOfAnInvalidBusIDFails() throws {
        let fixture = try SysfsFixture.copy(of: "sysfs-idle", adding: Self.kernelFiles)
        defer { fixture.remove() }
        let result = try runTool(["--sysfs-root", fixture.root.string, "bind", "-b", "../../x"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("usbip: error: "), "\(result)")
    }

    @Test func unbindWritesWhatTheKernelExpects() throws {
        let fixture = try SysfsFixture.copy(of: "sysfs-attached", adding: Self.kernelFiles)
        defer { fixture.remove() }
        let result = try runTool(["--sysfs-root", fixture.root.string, "unbind", "-b", "2-1"])
        #expect(result == ToolResult(status: 0, stdout: "", stderr: try CLIGoldenTests.golden("unbind.stderr")))
        #expect(fixture.contents(of: "bus/usb/drivers/usbip-host/unbind") == "2-1")
        #expect(fixture.contents(of: "bus/usb/drivers/usbip-host/match_busid") == "del 2-1")
        #expect(fixture.contents(of: "bus/usb/drivers/usbip-host/rebind") == "2-1")
    }

    @Test func unbindOfADeviceNotBoundFails() throws {
        let fixture = try SysfsFixture.copy(of: "sysfs-attached", adding: Self.kernelFiles)
        defer { fixture.remove() }
        let result = try runTool(["--sysfs-root", fixture.root.string, "unbind", "-b", "1-2"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("usbip: error: ") && result.stderr.contains("not bound to usbip-host"), "\(result)")
        #expect(fixture.contents(of: "bus/usb/drivers/usbip-host/match_busid") == "")
    }

    @Test func detachWritesThePortAndRemovesTheRecord() throws {
        let fixture = try SysfsFixture.copy(of: "sysfs-attached", adding: Self.kernelFiles)
        defer { fixture.remove() }
        let records = fixture.base.appending("vhci_hcd")
        try SysfsFixture.copyTree(from: Fixtures.path("vhci_records"), to: records)
        let result = try runTool(["--sysfs-root", fixture.root.string, "--record-dir", records.string, "detach", "-p", "15"])
        #expect(result == ToolResult(status: 0, stdout: "", stderr: try CLIGoldenTests.golden("detach.stderr")))
        #expect(fixture.contents(of: "devices/platform/vhci_hcd.0/detach") == "15")
        #expect(!fixture.exists("../vhci_hcd/port15"))
    }

    /// Documented difference: C prints `usbip: info: Port 3 is already detached!` and exits 0; this tool says the
    /// port is not in use and exits 1 (nothing was detached).
    @Test func detachOfAFreePortFailsClearly() throws {
        let fixture = try SysfsFixture.copy(of: "sysfs-attached", adding: Self.kernelFiles)
        defer { fixture.remove() }
        let result = try runTool(["--sysfs-root", fixture.root.string, "detach", "-p", "3"])
        #expect(result == ToolResult(status: 1, stdout: "", stderr: "usbip: error: port 3 is not in use\n"))
        #expect(fixture.contents(of: "devices/platform/vhci_hcd.0/detach") == "")
    }
}
