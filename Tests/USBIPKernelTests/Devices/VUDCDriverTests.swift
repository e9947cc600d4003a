import SystemPackage
import Testing
import USBIPWire
import USBIPSupport
import USBIPKernel
import USBIPTestSupport

/// `VUDCDriver` on the gadget capture (usbip-vudc.0 with a composite gadget bound) and the idle capture (no gadget).
@Suite struct VUDCDriverTests {
    static let device = "devices/platform/usbip-vudc.0"

    /// `(vendor, product)` from the product line of the captured `usbip list -d`
    /// (`   Linux Foundation : Multifunction Composite Gadget (1d6b:0104)`). The C tool's busid line prints
    /// `(0x1d:0x1d)`, an upstream formatting bug, so the ids are taken from the product line.
    static func listedGadgetIDs() throws -> (vendor: UInt16, product: UInt16) {
        let text = try DevicesTestTree.readText(Fixtures.path("outputs/list-d.stdout").string)
        let lines = text.split(separator: "\n")
        try #require(lines.count >= 2)
        #expect(lines[0].hasSuffix("(0x1d:0x1d)"))
        let ids = try #require(lines[1].split(separator: "(").last?.dropLast().split(separator: ":"))
        try #require(ids.count == 2)
        let vendor = try #require(UInt16(ids[0], radix: 16))
        let product = try #require(UInt16(ids[1], radix: 16))
        return (vendor, product)
    }

    /// A little-endian device descriptor with these ids.
    static func descriptor(vendor: UInt16, product: UInt16, bcdDevice: UInt16 = 0x0601) -> [UInt8] {
        [18, 0x01, 0x00, 0x02, 0xEF, 0x02, 0x01, 64,
         UInt8(vendor & 0xFF), UInt8(vendor >> 8), UInt8(product & 0xFF), UInt8(product >> 8),
         UInt8(bcdDevice & 0xFF), UInt8(bcdDevice >> 8), 1, 2, 3, 1]
    }

    /// The gadget capture with a complete `dev_desc`: the capture holds only its first two bytes (`12 01`) because
    /// the file was copied as text and stopped at the first NUL.
    static func gadgetTree() throws -> (DevicesTestTree, vendor: UInt16, product: UInt16) {
        let tree = try DevicesTestTree.capture("sysfs-gadget")
        let ids = try listedGadgetIDs()
        try tree.writeBytes(device + "/dev_desc", descriptor(vendor: ids.vendor, product: ids.product))
        return (tree, ids.vendor, ids.product)
    }

    @Test func listsTheGadgetWithTheIDsTheCToolNames() throws {
        let (tree, vendor, product) = try Self.gadgetTree()
        let driver = VUDCDriver(sysfs: tree.sysfs)
        let gadgets = try driver.devices()
        #expect(gadgets.map(\.busid.rawValue) == ["usbip-vudc.0"])
        let gadget = try #require(gadgets.first)
        #expect(gadget.idVendor == vendor && gadget.idProduct == product)
        #expect(gadget.bcdDevice == 0x0601)
        #expect([gadget.deviceClass, gadget.deviceSubClass, gadget.deviceProtocol] == [0xEF, 0x02, 0x01])
        #expect(gadget.numConfigurations == 1)
        #expect(gadget.syspath == "/sys/devices/platform/usbip-vudc.0")
        #expect(gadget.devpath == "/devices/platform/usbip-vudc.0")
        #expect(gadget.busnum == 0 && gadget.devnum == 0)
        #expect(gadget.configurationValue == 0 && gadget.numInterfaces == 0 && gadget.interfaces.isEmpty)
        #expect(gadget.driver == "usbip-vudc")
        let speedText = try tree.read("class/udc/usbip-vudc.0/current_speed")
        #expect(gadget.speed == USBSpeed(udcCurrentSpeed: String(speedText.dropLast())))
        #expect(gadget.speed == .high)
        #expect(try driver.device(#require(BusID("usbip-vudc.0"))) == gadget)
        #expect(try driver.boundGadgets() == gadgets)
    }

    @Test func onlyPlatformDevicesDrivenByUsbipVUDCAreListed() throws {
        let (tree, _, _) = try Self.gadgetTree()
        let driver = VUDCDriver(sysfs: tree.sysfs)
        #expect(tree.sysfs.exists("bus/platform/devices/vhci_hcd.0"))
        #expect(try driver.deviceNames().map(\.rawValue) == ["usbip-vudc.0"])
        #expect(try driver.device(#require(BusID("vhci_hcd.0"))) == nil)
    }

    @Test func truncatedCapturedDescriptorIsRejected() throws {
        let tree = try DevicesTestTree.capture("sysfs-gadget")
        let path = "/sys/devices/platform/usbip-vudc.0/dev_desc"
        #expect(throws: USBIPError.malformedAttribute(path: path, value: "12 01")) {
            try VUDCDriver(sysfs: tree.sysfs).devices()
        }
    }

    /// The idle capture has usbip-vudc.0 without a gadget (dev_desc fails with ENODEV; the capture holds it empty):
    /// the C tool's `list -d` fails with "No such device" (list-d-empty).
    @Test func noGadgetBoundIsAClearError() throws {
        let tree = try DevicesTestTree.capture("sysfs-idle")
        let driver = VUDCDriver(sysfs: tree.sysfs)
        let busid = try #require(BusID("usbip-vudc.0"))
        #expect(try driver.deviceNames() == [busid])
        let error = #expect(throws: USBIPError.noGadgetBound(busid)) { try driver.devices() }
        #expect(error?.description.contains("no gadget is bound to usbip-vudc.0") == true)
        #expect(try driver.boundGadgets().isEmpty)
        let cStderr = try DevicesTestTree.readText(Fixtures.path("outputs/list-d-empty.stderr").string)
        #expect(cStderr.contains("No such device"))
    }

    @Test func missingDescriptorIsNoGadgetToo() throws {
        let (tree, _, _) = try Self.gadgetTree()
        tree.remove(Self.device + "/dev_desc")
        #expect(throws: USBIPError.self) { try VUDCDriver(sysfs: tree.sysfs).devices() }
        #expect(try VUDCDriver(sysfs: tree.sysfs).boundGadgets().isEmpty)
    }

    @Test func statusComesFromUsbipStatus() throws {
        let (tree, _, _) = try Self.gadgetTree()
        let driver = VUDCDriver(sysfs: tree.sysfs)
        let busid = try #require(BusID("usbip-vudc.0"))
        let captured = try tree.read(Self.device + "/usbip_status")
        #expect(try driver.status(of: busid).rawValue == UInt32(captured.dropLast()))
        try tree.write(Self.device + "/usbip_status", "2\n")
        #expect(try driver.status(of: busid) == .used)
        try tree.write(Self.device + "/usbip_status", "9\n")
        #expect(throws: USBIPError.self) { try driver.status(of: busid) }
    }

    @Test func handOverWritesTheDescriptorNumber() throws {
        let (tree, _, _) = try Self.gadgetTree()
        try tree.write(Self.device + "/usbip_sockfd", "")
        try VUDCDriver(sysfs: tree.sysfs).handOver(socket: 7, to: #require(BusID("usbip-vudc.0")))
        #expect(try tree.read(Self.device + "/usbip_sockfd") == "7\n")
    }

    @Test func unknownDeviceIsNotFound() throws {
        let (tree, _, _) = try Self.gadgetTree()
        let driver = VUDCDriver(sysfs: tree.sysfs)
        let unknown = try #require(BusID("usbip-vudc.5"))
        let available = try #require(BusID("usbip-vudc.0"))
        #expect(throws: USBIPError.deviceNotFound(unknown, available: [available])) { try driver.status(of: unknown) }
    }

    /// Only where the real module is loaded (the VM of ../shared/vm): the binary `dev_desc` the kernel serves must
    /// give the ids configfs holds for the gadget bound to usbip-vudc.0, and ENODEV must become `noGadgetBound`.
    @Test(.enabled(if: Sysfs().exists("bus/platform/devices/usbip-vudc.0")))
    func realVUDCAgreesWithConfigfs() throws {
        let sysfs = Sysfs()
        let busid = try #require(BusID("usbip-vudc.0"))
        let gadgets = sysfs.isDirectory("kernel/config/usb_gadget") ? try sysfs.entries(of: "kernel/config/usb_gadget") : []
        let bound = gadgets.first { sysfs.readAttributeIfPresent("kernel/config/usb_gadget/\($0)/UDC") == busid.rawValue }
        guard let bound else {
            #expect(throws: USBIPError.self) { try VUDCDriver(sysfs: sysfs).device(busid) }
            return
        }
        func configfsID(_ name: String) throws -> UInt16 {
            let text = try sysfs.readAttribute("kernel/config/usb_gadget/\(bound)/\(name)")  // "0x1d6b"
            return try #require(UInt16(text.dropFirst(2), radix: 16))
        }
        let device = try #require(try VUDCDriver(sysfs: sysfs).device(busid))
        #expect(device.idVendor == (try configfsID("idVendor")))
        #expect(device.idProduct == (try configfsID("idProduct")))
        #expect(device.syspath == "/sys/devices/platform/usbip-vudc.0")
        #expect(try VUDCDriver(sysfs: sysfs).status(of: busid) == .available)
    }

    @Test func descriptorParsing() {
        let bytes = Self.descriptor(vendor: 0x1D6B, product: 0x0104)
        let descriptor = USBDeviceDescriptor(bytes: bytes)
        #expect(descriptor?.idVendor == 0x1D6B)
        #expect(descriptor?.idProduct == 0x0104)
        #expect(descriptor?.bcdUSB == 0x0200)
        #expect(descriptor?.maxPacketSize0 == 64)
        #expect(descriptor?.serialNumberIndex == 3)
        #expect(USBDeviceDescriptor(bytes: bytes.dropLast()) == nil)
        var wrongType = bytes
        wrongType[1] = 0x02
        #expect(USBDeviceDescriptor(bytes: wrongType) == nil)
    }
}
