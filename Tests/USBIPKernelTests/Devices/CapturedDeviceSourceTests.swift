import SystemPackage
import Testing
import USBIPWire
import USBIPKernel
import USBIPSupport
import USBIPTestSupport

/// `SysfsDeviceSource` on the trees captured from the Debian 6.1 VM, checked against the captured attribute files
/// and the C tools' outputs.
@Suite struct CapturedDeviceSourceTests {
    // MARK: - Golden outputs

    /// `(busid, "vvvv", "pppp")` of every ` - busid X (vvvv:pppp)` line of a captured `usbip list -l` stdout.
    static func listedDevices(_ output: String) throws -> [(busid: String, vendor: String, product: String)] {
        let text = try DevicesTestTree.readText(Fixtures.path("outputs/" + output).string)
        return text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix(" - busid ") else { return nil }
            let fields = line.dropFirst(" - busid ".count).split(separator: " ")
            guard fields.count == 2 else { return nil }
            let ids = fields[1].dropFirst().dropLast().split(separator: ":")  // "(0627:0001)"
            guard ids.count == 2 else { return nil }
            return (String(fields[0]), String(ids[0]), String(ids[1]))
        }
    }

    /// `(busid, "vvvv:pppp")` of every `busid=X#usbid=vvvv:pppp#` line of `usbip list -p -l`.
    static func parsableDevices(_ output: String) throws -> [(busid: String, usbid: String)] {
        let text = try DevicesTestTree.readText(Fixtures.path("outputs/" + output).string)
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "#")
            guard fields.count == 2, fields[0].hasPrefix("busid="), fields[1].hasPrefix("usbid=") else { return nil }
            return (String(fields[0].dropFirst(6)), String(fields[1].dropFirst(6)))
        }
    }

    static func hex4(_ value: UInt16) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }

    // MARK: - Order and filters against the C tool

    @Test func localListMatchesCToolOrderAndIDs() throws {
        let tree = try DevicesTestTree.capture("sysfs-idle")
        let listed = try SysfsDeviceSource(sysfs: tree.sysfs).localListable()
        let expected = try Self.listedDevices("list-l.stdout")
        #expect(!expected.isEmpty)
        #expect(listed.map(\.busid.rawValue) == expected.map(\.busid))
        #expect(listed.map { Self.hex4($0.idVendor) } == expected.map(\.vendor))
        #expect(listed.map { Self.hex4($0.idProduct) } == expected.map(\.product))
    }

    @Test func parsableListMatchesCTool() throws {
        let tree = try DevicesTestTree.capture("sysfs-idle")
        let listed = try SysfsDeviceSource(sysfs: tree.sysfs).localListable()
        let expected = try Self.parsableDevices("list-pl.stdout")
        #expect(!expected.isEmpty)
        #expect(listed.map(\.busid.rawValue) == expected.map(\.busid))
        #expect(listed.map { Self.hex4($0.idVendor) + ":" + Self.hex4($0.idProduct) } == expected.map(\.usbid))
    }

    @Test func attachedTreeHidesTheVHCIDeviceAsTheCToolDoes() throws {
        let tree = try DevicesTestTree.capture("sysfs-attached")
        let source = SysfsDeviceSource(sysfs: tree.sysfs)
        let all = try source.devices()
        // vhci_hcd's own root hubs (usb3, usb4) sit under vhci_hcd too; they are hubs.
        let imported = all.filter { $0.isAttachedThroughVHCI && !$0.isHub }
        #expect(imported.map(\.busid.rawValue) == ["4-1"])
        #expect(all.filter(\.isAttachedThroughVHCI).filter(\.isHub).map(\.busid.rawValue) == ["usb3", "usb4"])
        #expect(imported.first?.devpath.hasPrefix("/devices/platform/vhci_hcd.0/") == true)
        let expected = try Self.listedDevices("list-l-attached.stdout")
        #expect(try source.localListable().map(\.busid.rawValue) == expected.map(\.busid))
    }

    @Test func boundToHostFollowsTheDriverLink() throws {
        let tree = try DevicesTestTree.capture("sysfs-attached")
        let source = SysfsDeviceSource(sysfs: tree.sysfs)
        // The capture's 2-1 is exported: its driver link points at usbip-host.
        let link = try #require(tree.sysfs.linkTarget("bus/usb/devices/2-1/driver"))
        #expect(link.hasSuffix("/usbip-host"))
        #expect(try source.devices().filter { $0.driver == KernelDriver.usbipHost.rawValue }.map(\.busid.rawValue) == ["2-1"])
        let idle = try DevicesTestTree.capture("sysfs-idle")
        #expect(try SysfsDeviceSource(sysfs: idle.sysfs).devices().filter { $0.driver == KernelDriver.usbipHost.rawValue }.isEmpty)
        #expect(try SysfsDeviceSource(sysfs: idle.sysfs).devices().count == 6)
    }

    @Test func theDriverDirectoryGivesTheSameDevicesAsTheFullEnumeration() throws {
        // (Each tree is kept in a variable: a DevicesTestTree deletes its files when released.)
        var bound: [String: [String]] = [:]
        for capture in ["sysfs-attached", "sysfs-idle", "sysfs-gadget"] {
            let tree = try DevicesTestTree.capture(capture)
            let source = SysfsDeviceSource(sysfs: tree.sysfs)
            #expect(try source.devices(boundTo: .usbipHost) == source.devices().filter { $0.driver == KernelDriver.usbipHost.rawValue }, "\(capture)")
            bound[capture] = try source.devices(boundTo: .usbipHost).map(\.busid.rawValue)
        }
        // usbip-host's directory also holds match_busid, rebind and the module link: none of them is a device.
        #expect(bound == ["sysfs-attached": ["2-1"], "sysfs-idle": [], "sysfs-gadget": []])
    }

    @Test func aDriverLinkToADeviceNowBoundElsewhereIsNotListed() throws {
        // A device re-bound between the directory listing and the read: its own driver link decides.
        let tree = try DevicesTestTree.capture("sysfs-attached")
        let device = try #require(tree.sysfs.resolve("bus/usb/devices/2-1"))
        let link = try #require(tree.sysfs.linkTarget(device + "/driver"))
        try tree.symlink(device + "/driver", to: String(link.dropLast("usbip-host".count)) + "usb")
        #expect(tree.sysfs.linkTargetName("bus/usb/drivers/usbip-host/2-1/driver") == "usb")
        #expect(try SysfsDeviceSource(sysfs: tree.sysfs).devices(boundTo: .usbipHost).isEmpty)
    }

    // MARK: - The whole enumeration

    @Test func devicesAreEveryNonInterfaceNodeSortedByDevpath() throws {
        let tree = try DevicesTestTree.capture("sysfs-idle")
        let devices = try SysfsDeviceSource(sysfs: tree.sysfs).devices()
        let expected = try tree.sysfs.entries(of: "bus/usb/devices").filter {
            !tree.sysfs.exists("bus/usb/devices/\($0)/bInterfaceNumber")
        }
        #expect(devices.count == expected.count)
        #expect(Set(devices.map(\.busid.rawValue)) == Set(expected))
        #expect(devices.map(\.busid.rawValue).contains("usb1"))
        let keys = devices.map { Array($0.devpath.utf8) }
        #expect(zip(keys, keys.dropFirst()).allSatisfy { $0.lexicographicallyPrecedes($1) })
        // Root hubs are hubs; the two QEMU devices are not.
        #expect(devices.filter(\.isHub).map(\.busid.rawValue).allSatisfy { $0.hasPrefix("usb") })
    }

    @Test func deviceByBusIDMatchesTheEnumeration() throws {
        let tree = try DevicesTestTree.capture("sysfs-idle")
        let source = SysfsDeviceSource(sysfs: tree.sysfs)
        let all = try source.devices()
        for device in all {
            #expect(try source.device(device.busid) == device)
        }
        #expect(try source.device(#require(BusID("2-1:1.0"))) == nil)  // an interface
        #expect(try source.device(#require(BusID("9-9"))) == nil)
    }

    // MARK: - Field values against the captured files

    @Test(arguments: ["1-2", "2-1"])
    func fieldsMatchTheCapturedAttributeFiles(_ name: String) throws {
        let tree = try DevicesTestTree.capture("sysfs-idle")
        let busid = try #require(BusID(name))
        let device = try #require(try SysfsDeviceSource(sysfs: tree.sysfs).device(busid))
        let relative = try #require(tree.sysfs.resolve("bus/usb/devices/" + name))
        func raw(_ attribute: String) throws -> String {
            try tree.read(relative + "/" + attribute).devicesTrimmed(of: " \n")
        }
        #expect(device.syspath == "/sys/" + relative)
        #expect(device.devpath == "/" + relative)
        #expect(device.idVendor == UInt16(try raw("idVendor"), radix: 16))
        #expect(device.idProduct == UInt16(try raw("idProduct"), radix: 16))
        #expect(device.bcdDevice == UInt16(try raw("bcdDevice"), radix: 16))
        #expect(device.deviceClass == UInt8(try raw("bDeviceClass"), radix: 16))
        #expect(device.deviceSubClass == UInt8(try raw("bDeviceSubClass"), radix: 16))
        #expect(device.deviceProtocol == UInt8(try raw("bDeviceProtocol"), radix: 16))
        #expect(device.configurationValue == UInt8(try raw("bConfigurationValue")))
        #expect(device.numConfigurations == UInt8(try raw("bNumConfigurations")))
        #expect(device.numInterfaces == UInt8(try raw("bNumInterfaces")))
        #expect(device.busnum == UInt32(try raw("busnum")))
        #expect(device.devnum == UInt32(try raw("devnum")))
        #expect(device.speed == USBSpeed(sysfsSpeed: try raw("speed")))
        #expect(device.driver == tree.sysfs.linkTargetName(relative + "/driver"))
        #expect(!device.isHub && !device.isAttachedThroughVHCI)

        let node = "\(name):\(device.configurationValue).0"
        #expect(device.interfaces == [
            USBInterface(
                number: try #require(UInt8(try raw(node + "/bInterfaceNumber"), radix: 16)),
                interfaceClass: try #require(UInt8(try raw(node + "/bInterfaceClass"), radix: 16)),
                interfaceSubClass: try #require(UInt8(try raw(node + "/bInterfaceSubClass"), radix: 16)),
                interfaceProtocol: try #require(UInt8(try raw(node + "/bInterfaceProtocol"), radix: 16))
            ),
        ])
    }

    @Test func stickIsTheSuperSpeedStorageDevice() throws {
        let tree = try DevicesTestTree.capture("sysfs-idle")
        let busid = try #require(BusID("2-1"))
        let device = try #require(try SysfsDeviceSource(sysfs: tree.sysfs).device(busid))
        #expect(device.speed == .super)
        #expect(device.driver == "usb")  // usb-storage binds the interface, not the device
        #expect(device.interfaces.first?.interfaceClass == 0x08)  // mass storage
        #expect(tree.sysfs.linkTargetName("bus/usb/devices/2-1:1.0/driver") == "usb-storage")
    }

    @Test func pathMatchesTheCToolsRemoteListing() throws {
        let tree = try DevicesTestTree.capture("sysfs-idle")
        let busid = try #require(BusID("2-1"))
        let device = try #require(try SysfsDeviceSource(sysfs: tree.sysfs).device(busid))
        let output = try DevicesTestTree.readText(Fixtures.path("outputs/list-r.stdout").string)
        let paths = output.split(separator: "\n").compactMap { line -> String? in
            let parts = line.split(separator: ": ", maxSplits: 1)
            return parts.count == 2 && parts[1].hasPrefix("/sys/") ? String(parts[1]) : nil
        }
        #expect(paths == [device.syspath])
    }

    /// The captured `OP_REP_DEVLIST` from Debian's usbipd (2-1 exported, then unconfigured: bConfigurationValue and
    /// bNumInterfaces read empty at that moment, so those two are not compared).
    @Test func recordFieldsMatchTheCapturedDevlistReply() throws {
        let hex = try DevicesTestTree.readText(Fixtures.path("outputs/wire-devlist.hex").string)
            .filter { $0.isHexDigit }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex), next > index {
            bytes.append(try #require(UInt8(hex[index..<next], radix: 16)))
            index = next
        }
        let record = Array(bytes.dropFirst(12))  // op_common (8) + ndev (4)
        try #require(record.count >= 312)
        func be32(_ offset: Int) -> UInt32 { record[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) } }
        func be16(_ offset: Int) -> UInt16 { UInt16(record[offset]) << 8 | UInt16(record[offset + 1]) }
        func string(_ offset: Int, _ count: Int) -> String {
            String(decoding: record[offset..<offset + count].prefix { $0 != 0 }, as: UTF8.self)
        }

        let tree = try DevicesTestTree.capture("sysfs-idle")
        let busid = try #require(BusID(string(0x100, 32)))
        let device = try #require(try SysfsDeviceSource(sysfs: tree.sysfs).device(busid))
        #expect(device.syspath == string(0, 256))
        #expect(device.busnum == be32(0x120))
        #expect(device.devnum == be32(0x124))
        #expect(device.speed.rawValue == be32(0x128))
        #expect(device.idVendor == be16(0x12C))
        #expect(device.idProduct == be16(0x12E))
        #expect(device.bcdDevice == be16(0x130))
        #expect([device.deviceClass, device.deviceSubClass, device.deviceProtocol] == Array(record[0x132...0x134]))
        #expect(device.numConfigurations == record[0x136])
    }
}

extension String {
    /// The string without leading and trailing characters from `set` (test helper, no Foundation).
    fileprivate func devicesTrimmed(of set: String) -> String {
        let characters = Set(set)
        let trimmedStart = drop { characters.contains($0) }
        return String(trimmedStart.reversed().drop { characters.contains($0) }.reversed())
    }
}
