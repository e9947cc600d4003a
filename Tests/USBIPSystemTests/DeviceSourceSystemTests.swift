import Testing
import USBIPWire
import USBIPKernel

/// What USBIPKernel's device sources and vhci driver read on the real kernel equals what `cat` shows
/// (`usb_snapshot` in Tests/System/lib.sh) and what Debian's `usbip list -p -l` prints.
@Suite(.enabled(if: SystemTestEnvironment.isEnabled, "system test: runs in the test VM (Scripts/system-tests)"))
struct DeviceSourceSystemTests {
    /// `value` as lower-case hex, zero-padded to `width` digits (sysfs prints `%04x` and `%02x`).
    static func hex<T: BinaryInteger>(_ value: T, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Every field of every device equals the kernel's snapshot; the set of devices equals Debian's list.
    static func expectMatchesKernel(_ devices: [USBDevice], source: Comment) throws {
        let snapshot = try SnapshotDevice.load()
        let debian = try DebianListEntry.load()
        let listable = devices.filter { !$0.isHub && !$0.isAttachedThroughVHCI }
        #expect(listable.map(\.busid.rawValue).sorted() == debian.map(\.busid).sorted(), source)
        // The snapshot holds every device but the root hubs (usbN): each must be read identically.
        #expect(!snapshot.isEmpty, "\(source): the kernel snapshot is empty")
        for kernel in snapshot {
            let busid = kernel.busid
            guard let device = devices.first(where: { $0.busid.rawValue == busid }) else {
                Issue.record("\(source): \(busid) of the kernel's snapshot was not enumerated")
                continue
            }
            #expect(hex(device.idVendor, width: 4) == kernel.attributes["idVendor"], "\(source) \(busid) idVendor")
            #expect(hex(device.idProduct, width: 4) == kernel.attributes["idProduct"], "\(source) \(busid) idProduct")
            #expect(device.speed == USBSpeed(sysfsSpeed: kernel.attributes["speed"] ?? ""), "\(source) \(busid) speed")
            #expect(hex(device.deviceClass, width: 2) == kernel.attributes["bDeviceClass"], "\(source) \(busid) class")
            #expect(hex(device.deviceSubClass, width: 2) == kernel.attributes["bDeviceSubClass"], "\(source) \(busid)")
            #expect(hex(device.deviceProtocol, width: 2) == kernel.attributes["bDeviceProtocol"], "\(source) \(busid)")
            #expect("\(device.configurationValue)" == kernel.attributes["bConfigurationValue"], "\(source) \(busid)")
            #expect("\(device.numInterfaces)" == kernel.attributes["bNumInterfaces"], "\(source) \(busid)")
            let interfaces = device.interfaces.map {
                "\($0.number)=\(hex($0.interfaceClass, width: 2))/\(hex($0.interfaceSubClass, width: 2))/\(hex($0.interfaceProtocol, width: 2))"
            }
            let kernelInterfaces = kernel.interfaces.keys.sorted().map { "\($0)=\(kernel.interfaces[$0] ?? "")" }
            #expect(interfaces == kernelInterfaces, "\(source) \(busid) interfaces")
        }
    }

    @Test func sysfsDeviceSourceMatchesTheKernel() throws {
        try Self.expectMatchesKernel(try SysfsDeviceSource(sysfs: Sysfs()).devices(), source: "SysfsDeviceSource")
    }

    @Test func udevDeviceSourceMatchesTheKernel() throws {
        try Self.expectMatchesKernel(try UdevDeviceSource().devices(), source: "UdevDeviceSource")
    }

    @Test func vhciDriverReadsIdlePorts() throws {
        let vhci = try VHCIDriver(sysfs: Sysfs())
        let nports = try #require(Int(try Sysfs().readAttribute("devices/platform/vhci_hcd.0/nports")))
        #expect(try vhci.nports() == nports)
        let ports = try vhci.ports()
        #expect(ports.count == nports)
        #expect(ports.allSatisfy { $0.isFree })
    }
}
