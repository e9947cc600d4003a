import Testing
import USBIPWire
import USBIPKernel

/// vhci_hcd's `nports` and `status*` attributes read through USBIPKernel's `Sysfs` on the real kernel, with
/// nothing attached. Runs in the test VM only (Scripts/system-tests); a plain `swift test` skips it.
@Suite(.enabled(if: SystemTestEnvironment.isEnabled, "system test: runs in the test VM (Scripts/system-tests)"))
struct VHCIReadsTests {
    let sysfs = Sysfs()

    @Test func statusRowsCoverNports() throws {
        let controllers = try sysfs.entries(of: "devices/platform").filter { $0.hasPrefix("vhci_hcd.") }
        #expect(!controllers.isEmpty, "vhci-hcd is loaded")
        let nports = try #require(Int(try sysfs.readAttribute("devices/platform/vhci_hcd.0/nports")))
        #expect(nports > 0)
        #expect(nports % max(controllers.count, 1) == 0, "nports = VHCI_PORTS x controllers")

        // One status file per controller on vhci_hcd.0: `status`, `status.1`, ...
        let statusFiles = try sysfs.entries(of: "devices/platform/vhci_hcd.0")
            .filter { $0 == "status" || $0.hasPrefix("status.") }
        #expect(statusFiles.count == controllers.count)
        var rows: [[Substring]] = []
        for file in statusFiles {
            let lines = try sysfs.readAttribute("devices/platform/vhci_hcd.0/\(file)").split(separator: "\n")
            #expect(lines.first?.hasPrefix("hub port sta spd dev") == true, "\(file) header")
            rows += lines.dropFirst().map { $0.split(separator: " ") }
        }
        #expect(rows.count == nports)
        #expect(Set(rows.compactMap { $0.count > 1 ? Int($0[1]) : nil }) == Set(0..<nports), "port numbers")
        #expect(rows.filter { $0.first == "hs" }.count == nports / 2, "half the ports are on the USB 2 hub")
        #expect(rows.filter { $0.first == "ss" }.count == nports / 2, "half the ports are on the USB 3 hub")
        let idle = rows.filter { $0.count == 7 && UInt32($0[2]) == PortStatus.free.rawValue }
        #expect(idle.count == nports, "every port is free (VDEV_ST_NULL) with nothing attached")
    }
}
