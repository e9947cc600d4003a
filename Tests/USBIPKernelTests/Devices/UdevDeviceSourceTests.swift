import SystemPackage
import Testing
import USBIPWire
import USBIPKernel
import USBIPSupport

/// `UdevDeviceSource` reads the real `/sys` through libudev. On a machine with USB (the VM) it must agree with
/// `SysfsDeviceSource` on the same `/sys`; on a machine without a USB bus both find nothing.
@Suite struct UdevDeviceSourceTests {
    @Test func agreesWithSysfsOnThisMachine() throws {
        let fromSysfs = try SysfsDeviceSource(sysfs: Sysfs()).devices()
        let fromUdev: [USBDevice]
        do {
            fromUdev = try UdevDeviceSource().devices()
        } catch {
            // Acceptable only as a clear enumeration error on a machine without a USB bus.
            guard case .sysfs = error, !Sysfs().exists("bus/usb") else { throw error }
            return
        }
        #expect(fromUdev == fromSysfs)
        if !Sysfs().exists("bus/usb") {
            #expect(fromUdev.isEmpty)
        }
    }

    @Test func lookupByBusIDAgreesWithSysfs() throws {
        let sysfsSource = SysfsDeviceSource(sysfs: Sysfs())
        let busids = try sysfsSource.devices().map(\.busid) + [try #require(BusID("99-99"))]
        for busid in busids {
            #expect(try UdevDeviceSource().device(busid) == sysfsSource.device(busid))
        }
    }

    @Test func libudevLoadsOnDemand() throws {
        // libudev1 is installed wherever the package builds (libudev-dev depends on it). A missing library is
        // checked through the tool (CLIGoldenTests), in a process of its own: a loaded library stays loaded.
        try UdevDeviceSource.load()
        try UdevDeviceSource.load()  // a second call is a no-op
    }
}
