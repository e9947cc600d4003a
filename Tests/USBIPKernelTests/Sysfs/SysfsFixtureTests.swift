#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import SystemPackage
import Testing
import USBIPSupport
import USBIPKernel
import USBIPTestSupport

@Suite struct SysfsFixtureTests {
    @Test func rootIsSysUnderAFreshTempDirectory() throws {
        let first = try SysfsFixture()
        defer { first.remove() }
        let second = try SysfsFixture()
        defer { second.remove() }
        #expect(first.base.string.hasPrefix("/tmp/usbip-sysfs-"))
        #expect(first.root == first.base.appending("sys"))
        #expect(first.base != second.base)
        #expect(first.sysfs.isDirectory(""))
    }

    @Test func deviceEntryMakesKernelStyleLinks() throws {
        let fixture = try SysfsFixture(
            .device("2-1", path: "devices/pci0000:00/0000:00:05.0/usb2/2-1",
                    attributes: ["idVendor": "46f4\n", "bNumInterfaces": " 1\n"], driver: "usb")
        )
        defer { fixture.remove() }
        let sysfs = fixture.sysfs
        #expect(sysfs.linkTarget("bus/usb/devices/2-1") == "../../../devices/pci0000:00/0000:00:05.0/usb2/2-1")
        #expect(sysfs.linkTarget("devices/pci0000:00/0000:00:05.0/usb2/2-1/driver")
            == "../../../../../bus/usb/drivers/usb")
        #expect(sysfs.resolve("bus/usb/devices/2-1/driver") == "bus/usb/drivers/usb")
        #expect(sysfs.resolve("bus/usb/drivers/usb/2-1") == "devices/pci0000:00/0000:00:05.0/usb2/2-1")
        #expect(try sysfs.readAttribute("bus/usb/devices/2-1/idVendor") == "46f4")
        #expect(fixture.contents(of: "bus/usb/devices/2-1/bNumInterfaces") == " 1\n")
    }

    @Test func copyTurnsCapturedLinkPlaceholdersIntoSymlinks() throws {
        let fixture = try SysfsFixture.copy(of: "sysfs-attached")
        defer { fixture.remove() }
        let sysfs = fixture.sysfs
        #expect(sysfs.linkTarget("bus/usb/devices/2-1") == "../../../devices/pci0000:00/0000:00:05.0/usb2/2-1")
        #expect(sysfs.resolve("bus/usb/devices/4-1") == "devices/platform/vhci_hcd.0/usb4/4-1")
        #expect(sysfs.linkTargetName("bus/usb/devices/2-1/driver") == "usbip-host")
        // Attributes stay files, byte for byte.
        #expect(sysfs.linkTarget("devices/platform/vhci_hcd.0/nports") == nil)
        #expect(fixture.contents(of: "devices/platform/vhci_hcd.0/nports") == "240\n")
        #expect(fixture.contents(of: "bus/usb/drivers/usbip-host/match_busid") == "2-1 \n")
    }

    @Test func copyIsWritableAndIndependentOfTheCapture() throws {
        let fixture = try SysfsFixture.copy(of: "sysfs-idle", adding: [.file("bus/usb/drivers_probe", "")])
        defer { fixture.remove() }
        try fixture.sysfs.write("2-1", to: "bus/usb/drivers_probe")
        #expect(fixture.contents(of: "bus/usb/drivers_probe") == "2-1")
        try fixture.sysfs.write("add 2-1", to: "bus/usb/drivers/usbip-host/match_busid")
        #expect(fixture.contents(of: "bus/usb/drivers/usbip-host/match_busid") == "add 2-1")
        let capture = Sysfs(root: Fixtures.path("sysfs-idle/sys"))
        #expect(try capture.readBytes("bus/usb/drivers/usbip-host/match_busid") == [0x0A])
    }

    @Test func directoryEntryReplacesAFileSoWritesFail() throws {
        let fixture = try SysfsFixture(.usbipHost(), .directory("bus/usb/drivers/usbip-host/bind"))
        defer { fixture.remove() }
        let error = #expect(throws: USBIPError.self) {
            try fixture.sysfs.write("2-1", to: "bus/usb/drivers/usbip-host/bind")
        }
        guard case .sysfs(_, _, .isDirectory)? = error else {
            Issue.record("expected EISDIR, got \(String(describing: error))")
            return
        }
    }

    @Test func fileAndSymlinkEntries() throws {
        let fixture = try SysfsFixture(
            .file("a/b/c", "x"),
            .symlink("a/link", "b/c"),
            .symlink("dangling", "../nowhere")
        )
        defer { fixture.remove() }
        #expect(fixture.contents(of: "a/link") == "x")
        #expect(fixture.exists("dangling"))
        #expect(!fixture.sysfs.exists("dangling"))
        #expect(fixture.contents(of: "missing") == "")
    }

    @Test func removeDeletesEverything() throws {
        let fixture = try SysfsFixture.copy(of: "sysfs-gadget")
        #expect(fixture.exists("bus"))
        fixture.remove()
        var st = stat()
        #expect(lstat(fixture.base.string, &st) != 0)
    }

    @Test func withSysfsFixtureRemovesAfterwards() throws {
        let base = try withSysfsFixture([.file("x", "1")]) { fixture -> FilePath in
            #expect(fixture.contents(of: "x") == "1")
            return fixture.base
        }
        var st = stat()
        #expect(lstat(base.string, &st) != 0)
    }
}
