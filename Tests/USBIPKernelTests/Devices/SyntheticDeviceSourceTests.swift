import SystemPackage
import Testing
import USBIPWire
import USBIPSupport
import USBIPKernel

/// `SysfsDeviceSource` and the shared attribute parser on small trees built for one situation each.
@Suite struct SyntheticDeviceSourceTests {
    private func only(_ tree: DevicesTestTree, _ name: String) throws -> USBDevice? {
        try SysfsDeviceSource(sysfs: tree.sysfs).device(#require(BusID(name)))
    }

    @Test func unconfiguredDeviceHasNoConfigurationAndNoInterfaces() throws {
        let tree = try DevicesTestTree()
        let directory = try tree.addDevice("1-1", ["bConfigurationValue": "\n", "bNumInterfaces": "\n"])
        // A node of the old configuration must not be picked up when none is active.
        try tree.addInterface("1-1:1.0", of: directory, number: 0)
        let device = try #require(try only(tree, "1-1"))
        #expect(device.configurationValue == 0)
        #expect(device.numInterfaces == 0)
        #expect(device.interfaces.isEmpty)
    }

    /// The C reader parses `bConfigurationValue` with `%02x`, so "10" became 16. We read the decimal the kernel wrote.
    @Test func configurationValueTenIsDecimal() throws {
        let tree = try DevicesTestTree()
        let directory = try tree.addDevice("1-1", ["bConfigurationValue": "10\n", "bNumConfigurations": "12\n"])
        try tree.addInterface("1-1:10.0", of: directory, number: 0, class: 0x03)
        let device = try #require(try only(tree, "1-1"))
        #expect(device.configurationValue == 10)
        #expect(device.numConfigurations == 12)
        #expect(device.interfaces.map(\.interfaceClass) == [0x03])
    }

    @Test func twelveInterfacesAreAllReadInNumberOrder() throws {
        let tree = try DevicesTestTree()
        let directory = try tree.addDevice("1-1", ["bNumInterfaces": "12\n"])
        for number in UInt8(0)..<12 {
            try tree.addInterface("1-1:1.\(number)", of: directory, number: number, class: 0xF0 + number)
        }
        let device = try #require(try only(tree, "1-1"))
        #expect(device.numInterfaces == 12)  // %2d: C's %02x read "12" as 18
        #expect(device.interfaces.map(\.number) == Array(0..<12))
        #expect(device.interfaces.map(\.interfaceClass) == (UInt8(0)..<12).map { 0xF0 + $0 })
    }

    @Test func nonContiguousInterfaceNumbersComeFromTheExistingNodes() throws {
        let tree = try DevicesTestTree()
        let directory = try tree.addDevice("1-1", ["bNumInterfaces": " 2\n"])
        try tree.addInterface("1-1:1.2", of: directory, number: 2, class: 0x0A)
        try tree.addInterface("1-1:1.0", of: directory, number: 0, class: 0x02)
        let device = try #require(try only(tree, "1-1"))
        #expect(device.interfaces == [
            USBInterface(number: 0, interfaceClass: 0x02, interfaceSubClass: 0x06, interfaceProtocol: 0x50),
            USBInterface(number: 2, interfaceClass: 0x0A, interfaceSubClass: 0x06, interfaceProtocol: 0x50),
        ])
    }

    @Test func interfaceNumberFallsBackToTheNodeName() throws {
        let tree = try DevicesTestTree()
        let directory = try tree.addDevice("1-1")
        try tree.addInterface("1-1:1.3", of: directory, number: 9, omit: ["bInterfaceNumber"])
        #expect(try only(tree, "1-1")?.interfaces.map(\.number) == [3])
    }

    @Test func hubsAndVHCIDevicesAreListedButNotLocalListable() throws {
        let tree = try DevicesTestTree()
        try tree.addDevice("1-1", ["bDeviceClass": "09\n"])
        try tree.addDevice("1-2")
        try tree.addDevice("3-1", parent: "devices/platform/vhci_hcd.0/usb3", ["busnum": "3\n"])
        let source = SysfsDeviceSource(sysfs: tree.sysfs)
        let all = try source.devices()
        #expect(all.map(\.busid.rawValue) == ["1-1", "1-2", "3-1"])
        #expect(all.map(\.isHub) == [true, false, false])
        #expect(all.map(\.isAttachedThroughVHCI) == [false, false, true])
        #expect(try source.localListable().map(\.busid.rawValue) == ["1-2"])
    }

    @Test func orderIsByDevpathNotByName() throws {
        let tree = try DevicesTestTree()
        // Names sort 1-10 < 1-9, devpaths sort the other way round here.
        try tree.addDevice("1-10", parent: "devices/pci0000:00/0000:00:1d.0/usb1")
        try tree.addDevice("1-9", parent: "devices/pci0000:00/0000:00:14.0/usb1")
        #expect(try SysfsDeviceSource(sysfs: tree.sysfs).devices().map(\.busid.rawValue) == ["1-9", "1-10"])
    }

    @Test func busnumFallsBackToTheBusIDAndDevnumKeepsFullWidth() throws {
        let tree = try DevicesTestTree()
        try tree.addDevice("7-3", ["busnum": nil, "devnum": "300\n"])
        let device = try #require(try only(tree, "7-3"))
        #expect(device.busnum == 7)
        #expect(device.devnum == 300)
    }

    @Test func missingSpeedIsUnknownAndMissingDriverIsNil() throws {
        let tree = try DevicesTestTree()
        try tree.addDevice("1-1", driver: nil, ["speed": nil])
        let device = try #require(try only(tree, "1-1"))
        #expect(device.speed == .unknown)
        #expect(device.driver == nil)
    }

    @Test(arguments: ["idVendor", "bNumInterfaces", "bConfigurationValue", "devnum", "bDeviceClass"])
    func missingRequiredAttributeNamesThePath(_ attribute: String) throws {
        let tree = try DevicesTestTree()
        let directory = try tree.addDevice("1-1", [attribute: nil])
        let path = "/sys/\(directory)/\(attribute)"
        let error = #expect(throws: USBIPError.sysfs(operation: "read", path: path, errno: .noSuchFileOrDirectory)) {
            try self.only(tree, "1-1")
        }
        #expect(error?.description.contains(path) == true)
    }

    @Test(arguments: [("idVendor", "zz12"), ("bcdDevice", "12345"), ("bNumConfigurations", "-1"), ("devnum", "1x")])
    func malformedAttributeNamesPathAndValue(_ attribute: String, _ value: String) throws {
        let tree = try DevicesTestTree()
        let directory = try tree.addDevice("1-1", [attribute: value + "\n"])
        #expect(throws: USBIPError.malformedAttribute(path: "/sys/\(directory)/\(attribute)", value: value)) {
            try self.only(tree, "1-1")
        }
    }

    @Test func missingInterfaceFieldNamesTheInterfacePath() throws {
        let tree = try DevicesTestTree()
        let directory = try tree.addDevice("1-1")
        try tree.addInterface("1-1:1.0", of: directory, number: 0, omit: ["bInterfaceProtocol"])
        let error = #expect(throws: USBIPError.self) { try self.only(tree, "1-1") }
        guard case .sysfs(_, let path, _)? = error else {
            Issue.record("expected a sysfs error, got \(String(describing: error))")
            return
        }
        #expect(path == "/sys/\(directory)/1-1:1.0/bInterfaceProtocol")
    }

    @Test func noUSBBusMeansNoDevices() throws {
        let tree = try DevicesTestTree()
        let source = SysfsDeviceSource(sysfs: tree.sysfs)
        #expect(try source.devices().isEmpty)
        #expect(try source.device(#require(BusID("1-1"))) == nil)
    }

    @Test func brokenLinkIsSkipped() throws {
        let tree = try DevicesTestTree()
        try tree.addDevice("1-1")
        try tree.symlink("bus/usb/devices/1-2", to: "../../../devices/pci0000:00/0000:00:14.0/usb1/1-2")  // gone
        #expect(try SysfsDeviceSource(sysfs: tree.sysfs).devices().map(\.busid.rawValue) == ["1-1"])
    }
}

/// The number formats of USB sysfs attributes.
@Suite struct SysfsAttributeFormatTests {
    @Test func hexFields() {
        #expect(SysfsAttributeFormat.hex16("46f4\n") == 0x46F4)
        #expect(SysfsAttributeFormat.hex16("ABCD") == 0xABCD)
        #expect(SysfsAttributeFormat.hex16("1") == 1)
        #expect(SysfsAttributeFormat.hex8("0A") == 10)
        for bad in ["", "12345", "xyz", "-1", "+1", "0x12", "1 2"] {
            #expect(SysfsAttributeFormat.hex16(bad) == nil, "\(bad)")
        }
        #expect(SysfsAttributeFormat.hex8("100") == nil)
    }

    @Test func decimalFields() {
        #expect(SysfsAttributeFormat.decimal("10", as: UInt8.self) == 10)
        #expect(SysfsAttributeFormat.decimal(" 1\n", as: UInt8.self) == 1)
        #expect(SysfsAttributeFormat.decimal("255", as: UInt8.self) == 255)
        #expect(SysfsAttributeFormat.decimal("256", as: UInt8.self) == nil)
        #expect(SysfsAttributeFormat.decimal("4294967295", as: UInt32.self) == UInt32.max)
        #expect(SysfsAttributeFormat.decimal("4294967296", as: UInt32.self) == nil)
        for bad in ["", "-1", "+1", "1a", "0x1"] {
            #expect(SysfsAttributeFormat.decimal(bad, as: UInt32.self) == nil, "\(bad)")
        }
    }

    @Test func emptyMeansUnconfigured() {
        #expect(SysfsAttributeFormat.decimalOrEmpty("") == 0)
        #expect(SysfsAttributeFormat.decimalOrEmpty("\n") == 0)
        #expect(SysfsAttributeFormat.decimalOrEmpty(" 12\n") == 12)
        #expect(SysfsAttributeFormat.decimalOrEmpty("x") == nil)
    }
}
