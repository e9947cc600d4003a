import Testing
import USBIPWire
import USBIPSupport
import USBIPKernel

/// What USBIPKernel reads from the real kernel's sysfs for the VM's USB devices equals what `cat` shows
/// (`usb_snapshot`) and what Debian's `usbip list -p -l` prints. Runs in the test VM only (Scripts/system-tests,
/// Tests/System/10-core-reads.sh); a plain `swift test` skips it.
@Suite(.enabled(if: SystemTestEnvironment.isEnabled, "system test: runs in the test VM (Scripts/system-tests)"))
struct SysfsDeviceReadsTests {
    /// The attributes of a USB device that USB/IP exports (device record fields and `busnum`/`devnum`).
    static let deviceAttributes = [
        "idVendor", "idProduct", "speed", "bDeviceClass", "bDeviceSubClass", "bDeviceProtocol",
        "bConfigurationValue", "bNumInterfaces", "busnum", "devnum",
    ]

    let sysfs = Sysfs()

    @Test func deviceAttributesMatchTheKernel() throws {
        let devices = try SnapshotDevice.load()
        #expect(devices.count >= 2, "the VM has a stick and a keyboard")
        for device in devices {
            #expect(BusID(device.busid) != nil, "busid \(device.busid) is valid")
            for name in Self.deviceAttributes {
                let read = try sysfs.readAttribute("bus/usb/devices/\(device.busid)/\(name)")
                #expect(read == device.attributes[name], "\(device.busid)/\(name)")
            }
        }
    }

    @Test func interfacesMatchTheKernel() throws {
        for device in try SnapshotDevice.load() {
            let config = device.attributes["bConfigurationValue"] ?? ""
            // The interface directories sysfs lists under the device: "<busid>:<config>.<number>".
            let prefix = "\(device.busid):\(config)."
            let listed = try sysfs.entries(of: "bus/usb/devices/\(device.busid)")
                .filter { $0.hasPrefix(prefix) }
                .compactMap { Int($0.dropFirst(prefix.count)) }
            #expect(listed.sorted() == device.interfaces.keys.sorted(), "\(device.busid) interfaces")
            #expect(listed.count == Int(device.attributes["bNumInterfaces"] ?? ""), "\(device.busid) bNumInterfaces")
            for (number, expected) in device.interfaces {
                let base = "bus/usb/devices/\(prefix)\(number)"
                let triple = try ["bInterfaceClass", "bInterfaceSubClass", "bInterfaceProtocol"]
                    .map { name throws(USBIPError) in try sysfs.readAttribute("\(base)/\(name)") }
                    .joined(separator: "/")
                #expect(triple == expected, "\(base)")
            }
        }
    }

    @Test func speedsParse() throws {
        let stick = try #require(SystemTestEnvironment.value("USBIP_SYSTEM_STICK"))
        let keyboard = try #require(SystemTestEnvironment.value("USBIP_SYSTEM_KEYBOARD"))
        let stickSpeed = USBSpeed(sysfsSpeed: try sysfs.readAttribute("bus/usb/devices/\(stick)/speed"))
        #expect(stickSpeed == .super, "the stick is on qemu-xhci's SuperSpeed bus")
        #expect(stickSpeed.usesSuperSpeedHub)
        let keyboardSpeed = USBSpeed(sysfsSpeed: try sysfs.readAttribute("bus/usb/devices/\(keyboard)/speed"))
        #expect(keyboardSpeed != .unknown)
        #expect(!keyboardSpeed.usesSuperSpeedHub, "the keyboard is a USB 2 device")
    }

    @Test func debianListAgreesWithSysfs() throws {
        let entries = try DebianListEntry.load()
        let snapshot = try SnapshotDevice.load()
        #expect(!entries.isEmpty)
        // `usbip list -l` shows every device except hubs (bDeviceClass 09); the VM has no hub besides root hubs.
        let shown = snapshot.filter { $0.attributes["bDeviceClass"] != "09" }.map(\.busid)
        #expect(entries.map(\.busid).sorted() == shown.sorted())
        for entry in entries {
            #expect(BusID(entry.busid) != nil)
            let vendor = try sysfs.readAttribute("bus/usb/devices/\(entry.busid)/idVendor")
            let product = try sysfs.readAttribute("bus/usb/devices/\(entry.busid)/idProduct")
            #expect("\(vendor):\(product)" == entry.usbid, "\(entry.busid)")
        }
    }
}
