import SystemPackage
package import USBIPWire
package import USBIPSupport

/// The usbip-vudc virtual UDC (`drivers/usb/usbip/vudc_*.c`): its platform devices `usbip-vudc.N` export the
/// gadget bound to them (`usbipd -e`, `usbip list -d`).
///
/// Each platform device (`/sys/devices/platform/usbip-vudc.N`) has `dev_desc` (binary 18-byte device descriptor;
/// `ENODEV` until a gadget is bound), `usbip_status` (`%d\n`, `SDEV_ST_*`) and `usbip_sockfd` (write-only); the UDC
/// class device `class/udc/usbip-vudc.N` has `current_speed`. As a ``DeviceSource`` it lists the gadgets as
/// ``USBDevice`` records: busid = platform device name, syspath = platform device path, ids, class and
/// `bNumConfigurations` from `dev_desc`, busnum = devnum = `bConfigurationValue` = `bNumInterfaces` = 0 and no
/// interfaces (as `libsrc/usbip_device_driver.c` fills the record).
package struct VUDCDriver: DeviceSource, Sendable {
    /// The sysfs tree read and written.
    package let sysfs: Sysfs

    /// The driver's name on the platform bus (`usbip-vudc`).
    package static let driverName = KernelDriver.usbipVUDC.rawValue
    static let platformDevices = "bus/platform/devices"

    /// The usbip-vudc devices of `sysfs` (default `/sys`).
    package init(sysfs: Sysfs = Sysfs()) {
        self.sysfs = sysfs
    }

    /// Whether the module is loaded: `bus/platform/drivers/usbip-vudc` exists.
    package var isLoaded: Bool {
        sysfs.isDirectory("bus/platform/drivers/" + Self.driverName)
    }

    /// The platform devices whose `driver` link names `usbip-vudc`, sorted by devpath (udev's order); none when
    /// the module is not loaded.
    package func deviceNames() throws(USBIPError) -> [BusID] {
        try located().map(\.busid)
    }

    /// Every usbip-vudc device as a device record, as `usbip list -d` reads them: the first device without a
    /// gadget throws ``USBIPError/noGadgetBound(_:)`` (the C tool stops there with "No such device").
    package func devices() throws(USBIPError) -> [USBDevice] {
        var result: [USBDevice] = []
        for (busid, relative) in try located() {
            result.append(try read(busid, at: relative))
        }
        return result
    }

    /// The usbip-vudc devices that have a gadget bound (what a vUDC-mode daemon can export); the others are skipped.
    package func boundGadgets() throws(USBIPError) -> [USBDevice] {
        var result: [USBDevice] = []
        for (busid, relative) in try located() {
            do {
                result.append(try read(busid, at: relative))
            } catch {
                if case .noGadgetBound = error { continue }
                throw error
            }
        }
        return result
    }

    /// The gadget of usbip-vudc device `busid`; `nil` when there is no such usbip-vudc device, throws
    /// ``USBIPError/noGadgetBound(_:)`` when it has no gadget.
    package func device(_ busid: BusID) throws(USBIPError) -> USBDevice? {
        guard let relative = resolve(busid) else { return nil }
        return try read(busid, at: relative)
    }

    /// The export state from sysfs `usbip_status` (`%d\n` of `SDEV_ST_*`).
    package func status(of busid: BusID) throws(USBIPError) -> ExportStatus {
        let path = try require(busid) + "/usbip_status"
        let text = try sysfs.readAttribute(path)
        guard let value = SysfsAttributeFormat.decimal(text, as: UInt32.self), let status = ExportStatus(rawValue: value)
        else { throw .malformedAttribute(path: sysfs.kernelPath(path), value: text) }
        return status
    }

    /// Hands a connected TCP socket to the kernel: writes `"<fd>\n"` to sysfs `usbip_sockfd` (as
    /// `usbip_export_device` does). The kernel takes its own reference; the caller closes `fd` afterwards.
    /// Fails with `ENODEV` when no gadget is bound or pulled up, `EBUSY` when already connected.
    package func handOver(socket fd: Int32, to busid: BusID) throws(USBIPError) {
        try sysfs.write("\(fd)\n", to: try require(busid) + "/usbip_sockfd")
    }

    // MARK: - Locating and reading

    /// `(name, resolved relative path)` of every usbip-vudc platform device, sorted by devpath.
    private func located() throws(USBIPError) -> [(busid: BusID, relative: String)] {
        guard sysfs.isDirectory(Self.platformDevices) else { return [] }
        var found: [(busid: BusID, relative: String)] = []
        for name in try sysfs.entries(of: Self.platformDevices) {
            guard let busid = BusID(name), let relative = resolve(busid) else { continue }
            found.append((busid, relative))
        }
        found.sort { Array($0.relative.utf8).lexicographicallyPrecedes(Array($1.relative.utf8)) }
        return found
    }

    /// The resolved relative path of `busid` when it is a platform device bound to usbip-vudc.
    private func resolve(_ busid: BusID) -> String? {
        guard let relative = sysfs.resolve(Self.platformDevices + "/" + busid.rawValue),
              sysfs.linkTargetName(relative + "/driver") == Self.driverName
        else { return nil }
        return relative
    }

    private func require(_ busid: BusID) throws(USBIPError) -> String {
        guard let relative = resolve(busid) else {
            throw .deviceNotFound(busid, available: (try? deviceNames()) ?? [])
        }
        return relative
    }

    private func read(_ busid: BusID, at relative: String) throws(USBIPError) -> USBDevice {
        let path = relative + "/dev_desc"
        let bytes: [UInt8]
        do {
            bytes = try sysfs.readBytes(path)
        } catch {
            if case .sysfs(_, _, let errno) = error, errno == .operationNotSupportedByDevice || errno == .noSuchFileOrDirectory {
                throw .noGadgetBound(busid)
            }
            throw error
        }
        if bytes.isEmpty { throw .noGadgetBound(busid) }
        guard let descriptor = USBDeviceDescriptor(bytes: bytes) else {
            let hex = bytes.prefix(32).map { Hex.digits($0, width: 2) }
            throw .malformedAttribute(path: sysfs.kernelPath(path), value: hex.joined(separator: " "))
        }
        let speed = sysfs.readAttributeIfPresent("class/udc/\(busid.rawValue)/current_speed")
            .map(USBSpeed.init(udcCurrentSpeed:)) ?? .unknown
        return USBDevice(
            busid: busid,
            syspath: sysfs.kernelPath(relative),
            devpath: "/" + relative,
            busnum: 0,
            devnum: 0,
            speed: speed,
            idVendor: descriptor.idVendor,
            idProduct: descriptor.idProduct,
            bcdDevice: descriptor.bcdDevice,
            deviceClass: descriptor.deviceClass,
            deviceSubClass: descriptor.deviceSubClass,
            deviceProtocol: descriptor.deviceProtocol,
            configurationValue: 0,
            numConfigurations: descriptor.numConfigurations,
            numInterfaces: 0,
            interfaces: [],
            driver: Self.driverName
        )
    }
}
